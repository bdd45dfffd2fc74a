import { Type } from 'class-transformer'
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { PRISONER_FIELDS, PrisonerField, WITHHELD_REASONS, WithheldReason } from '../../core/document/fields'
import { CitationInput } from '../../shared/cited-field.dto'

export class FieldParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string

  @IsIn(PRISONER_FIELDS)
  field: PrisonerField
}

/** A new alternative claim for one field. Its value is checked by the rules of that field. */
@JSONSchema({
  example: {
    value: 'Syarhei Tsikhanouski',
    citations: [{ sourceId: 'bc68bab7-31f3-4417-87ac-f5fc2a17f171', quote: 'Belarusian opposition leader Syarhei Tsikhanouski' }],
    reason: 'Article B spells the first name Syarhei.',
  },
})
export class AddClaimDto {
  @JSONSchema({ description: 'A value of the shape the field takes (see the write body of POST /v1/prisoners).' })
  @IsDefined({ message: 'value is required' })
  value: unknown

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CitationInput)
  citations: CitationInput[]

  @JSONSchema({ description: "Why it is added; kept in the record's history." })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string
}

const PUBLIC_COMMENT =
  "Why, in your words: kept in the record's history, which everyone reads. Do not repeat the value or its source here."

/** An editor withholds a field's value from everyone else. */
@JSONSchema({ example: { reason: 'family-request', comment: 'His family asked on 2 July 2025 that his name not be published while his brother is held.' } })
export class WithholdDto {
  @JSONSchema({ description: 'Why it is withheld, as everyone will read it: family-request, safety or legal.' })
  @IsIn(WITHHELD_REASONS)
  reason: WithheldReason

  @JSONSchema({ description: PUBLIC_COMMENT })
  @IsString()
  @Length(1, 2000)
  comment: string
}

/** An editor publishes a withheld value again. */
@JSONSchema({ example: { comment: 'The family agreed on 1 September 2025 that his name be published.' } })
export class DiscloseDto {
  @JSONSchema({ description: PUBLIC_COMMENT })
  @IsString()
  @Length(1, 2000)
  comment: string
}
