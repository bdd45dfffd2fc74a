import { Type } from 'class-transformer'
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { MAX_CANDIDATES } from '../../core/statements/statement-reader'

/** The fields a candidate may give a record (the rest of what it reads, charges alone, it shows but does not save). */
export const CANDIDATE_FIELDS = ['name', 'status', 'sentence', 'recognition'] as const
export type CandidateField = (typeof CANDIDATE_FIELDS)[number]

export class SourceParams {
  @JSONSchema({ description: 'The source holding the statement: its archived text is read (POST /v1/sources with `content`).' })
  @IsUUID('all', { message: 'id must be the UUID of a source' })
  id: string
}

/** What a volunteer changes of one candidate before submitting it: values left out, or a match refused. */
export class CandidateEdit {
  @JSONSchema({ description: 'The candidate, by its `index` in the list POST /v1/sources/{id}/candidates answered.' })
  @IsInt()
  @Min(0)
  @Max(MAX_CANDIDATES - 1)
  index: number

  @JSONSchema({ description: 'Values of the candidate not to submit (a value the statement was misread for).', example: ['sentence'] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CANDIDATE_FIELDS.filter((field) => field !== 'name'), { each: true })
  leaveOut?: string[]

  @JSONSchema({ description: 'Submit it as a new record even though its name matched a record (another person of the same name).' })
  @IsOptional()
  @IsBoolean()
  asNew?: boolean
}

@JSONSchema({ example: { keep: [0, 1, 2], comment: 'From the joint statement of 3 April 2025.' } })
export class SubmitCandidatesDto {
  @JSONSchema({ description: 'The candidates to submit, by index; all of them when absent.', example: [0, 1, 2] })
  @IsOptional()
  @IsArray()
  @ArrayUnique({ message: 'keep names a candidate more than once' })
  @ArrayMaxSize(MAX_CANDIDATES)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(MAX_CANDIDATES - 1, { each: true })
  keep?: number[]

  @JSONSchema({ description: 'Changes to kept candidates before they are submitted.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CANDIDATES)
  @ValidateNested({ each: true })
  @Type(() => CandidateEdit)
  edits?: CandidateEdit[]

  @JSONSchema({ description: "Why these records are submitted; kept in each record's history and on each proposal." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string
}
