import { IsOptional, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

/** The optional reason of a state change (restore, delete): kept in the record's history. */
export class StateChangeDto {
  @JSONSchema({ description: "Why: kept in the record's history." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string
}

/** The example body of a restore, for Swagger UI (on the body, not the field: a DELETE's query has the same field, and no example). */
export const RESTORE_EXAMPLE = { example: { comment: 'Deleted by mistake: restored as it was.' } }
