import { Type } from 'class-transformer'
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { PRISONER_FIELDS, PRISONER_STATUSES, type PrisonerField } from '../document/fields'
import { declarationOf, type FieldKind } from '../document/record-fields'
import { FieldInput, Rule, WriteField, citedField } from '../../shared/cited-field.dto'
import { COUNTRY_CODE_SCHEMA } from '../../shared/countries'
import { IsPartialDate } from '../../shared/partial-date'
import { EventIds } from '../../shared/event-ids.dto'
import { DestinationValue, IdentifierValue, IsCountryCode, NoRepeatedIdentifiers, SentenceValue } from './record-values.dto'

/**
 * The write of a record's cited fields, one declaration for every way a record is written: the JSON body of POST and
 * PATCH /v1/prisoners, the flat form (which becomes one), a spreadsheet's row (imports), the seed. Here so that every
 * module that writes records checks a write by the same rules and raises the same FieldError paths.
 *
 * What each kind of value (core/document/record-fields.ts) means to a write: the rules of its `value` and what its
 * JSON Schema adds to what they generate. One entry per kind: every field of that kind gets these.
 */
interface KindRules {
  rules: Rule[]
  schema?: Record<string, unknown>
}

export const KIND_RULES: Record<FieldKind, KindRules> = {
  name: {
    rules: [IsString(), Length(1, 300), Matches(/\p{L}/u, { message: 'value must hold the letters of a name' })],
    // \p{L} needs Unicode mode: not a pattern of the document (see matchesPattern in src/shared/dto.ts), said in words.
    schema: { description: 'The name as the source spells it, in any script (at least one letter).' },
  },
  country: {
    // JSON takes codes only, as it stores and serves them: a name is refused, saying its code ("Belarus" is BY).
    rules: [IsCountryCode('BY')],
    schema: { ...COUNTRY_CODE_SCHEMA, description: 'ISO 3166-1 alpha-2 country code, e.g. BY.' },
  },
  status: { rules: [IsIn(PRISONER_STATUSES)], schema: { type: 'string' } },
  // ValidateNested accepts an array of objects as readily as one object: IsObject says it must be one.
  sentence: {
    rules: [IsObject({ message: 'value must be one object { text, termMonths?, sentencedIn?, charges? }' }), ValidateNested(), Type(() => SentenceValue)],
  },
  partialDate: { rules: [IsPartialDate()] },
  destination: { rules: [IsObject({ message: 'value must be one object { country, place? }' }), ValidateNested(), Type(() => DestinationValue)] },
  // The ids a source states (the Wikidata item captured as a source says "Q…"); the citations of the list cite them all.
  identifiers: {
    rules: [
      IsArray({ message: 'value must be a list of { scheme, id }' }),
      ArrayMinSize(1, { message: 'value must name at least one { scheme, id }; to clear the field send { "value": null, "citations": [] }' }),
      ArrayMaxSize(20),
      NoRepeatedIdentifiers(),
      ValidateNested({ each: true }),
      Type(() => IdentifierValue),
    ],
  },
}


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
