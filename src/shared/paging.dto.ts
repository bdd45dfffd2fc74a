import { Transform } from 'class-transformer'
import { IsBoolean, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

type Rule = (target: object, property: string) => void
const all = (...rules: Rule[]): PropertyDecorator => (target, property) => rules.forEach((rule) => rule(target, property as string))

/** `limit`: items per page, from 1 to `max`. */
export function PageLimit(max: number, fallback: number, items = 'Items'): PropertyDecorator {
  return all(
    JSONSchema({ description: `${items} per page, 1 to ${max} (default ${fallback}).` }),
    IsOptional(),
    // Digits only: Number() would also read "1e2" and "0x10".
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value)),
    IsInt({ message: `$property must be a whole number from 1 to ${max}` }),
    Min(1),
    Max(max),
  )
}

/** `cursor` (or `since`): the opaque `next` of the previous page. */
export function PageCursor(description = 'The `next` value of the previous page.'): PropertyDecorator {
  return all(
    JSONSchema({ description }),
    IsOptional(),
    Matches(/^[A-Za-z0-9_-]{1,600}$/, { message: '$property must be the next value of a previous page' }),
  )
}

/** The `:id` of every route that names one thing. */
export class IdParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string
}

/** `?dryRun=true`: check a write (shape, evidence, If-Match) and answer what it would do, saving nothing. */
export function DryRunFlag(): PropertyDecorator {
  return all(
    JSONSchema({
      description: 'true: check everything and save nothing; the answer (200, Dry-Run: true) says so in words, and what would have been saved: { saved: false, message, wouldBe }. Prefilled in Swagger UI: set false to save.',
      example: true,
    }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: 'dryRun must be true or false' }),
  )
}

export class DryRunQuery {
  @DryRunFlag()
  dryRun?: boolean
}
