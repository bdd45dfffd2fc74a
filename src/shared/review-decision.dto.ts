import { IsIn, IsOptional, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

export const DECISIONS = ['approve', 'reject'] as const
export type Decision = (typeof DECISIONS)[number]

@JSONSchema({ example: { decision: 'approve', comment: 'Quotes checked against both articles.' } })
export class ReviewDecisionDto {
  @IsIn(DECISIONS)
  decision: Decision

  @JSONSchema({ description: "Why: kept in the record's history." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string
}

