import { Type } from 'class-transformer'
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

export class ChangesQuery {
  @JSONSchema({ description: 'The `next` of your last page; leave out to start from the first change.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'since must be the next value of a previous page' })
  since?: string

  @JSONSchema({ description: 'Changes per page, 1 to 1000 (default 100).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 1000' })
  @Min(1)
  @Max(1000)
  limit?: number
}
