import { IsOptional, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { FieldInput, Rule, WriteField, citedField } from '../../shared/cited-field.dto'
import { EventIds } from '../../shared/event-ids.dto'
import { PRISONER_FIELDS, type PrisonerField } from './fields'
import { declarationOf } from './record-fields'
import { KIND_RULES } from './field-kinds'

/**
 * A record's write as its routes and the claims' routes validate it (one declaration of each cited field's value,
 * docs/design.md §2, invariant 11): here in core, so that every module that checks a value reads the same class.
 */

/** Applies property decorators as TypeScript does when they are written above a property: the lowest first. */
export function decorate(target: object, property: string, ...decorators: Rule[]): void {
  for (const decorator of [...decorators].reverse()) decorator(target, property)
}

/** The write class of each cited field (`<title>Input`), from its declaration and the rules of its kind. */
export const FIELD_INPUTS = Object.fromEntries(
  PRISONER_FIELDS.map((field) => {
    const { kind, title } = declarationOf(field)
    return [field, citedField(title, KIND_RULES[kind].rules, KIND_RULES[kind].schema)]
  }),
) as Record<PrisonerField, new () => object>

/**
 * The body of POST and PATCH: any subset of the cited fields (one property each, from its declaration), and why the
 * change is made; `{}` is refused (no field).
 */
const CitedFields = class {} as new () => Partial<Record<PrisonerField, FieldInput<unknown>>>
@JSONSchema({ minProperties: 1 })
export class PrisonerWriteDto extends CitedFields {
  events?: string[]
  comment?: string
}
for (const field of PRISONER_FIELDS) decorate(PrisonerWriteDto.prototype, field, WriteField(() => FIELD_INPUTS[field]))
decorate(PrisonerWriteDto.prototype, 'events', EventIds())
decorate(
  PrisonerWriteDto.prototype,
  'comment',
  JSONSchema({ description: "Why this change is made; kept in the record's history." }),
  IsOptional(),
  IsString(),
  Length(1, 2000),
)


