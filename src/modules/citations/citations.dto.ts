import { Type } from 'class-transformer'
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

export class CitationIdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string
}

export class SourceCitationsQuery {
  @JSONSchema({ description: 'Citations per page, 1 to 500 (default 100).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 500' })
  @Min(1)
  @Max(500)
  limit?: number

  @JSONSchema({ description: 'The `next` value of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor must be the next value of a previous page' })
  cursor?: string
}
