import { Transform, Type } from 'class-transformer'
import { ArrayMaxSize, IsArray, IsDefined, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

/**
 * The building blocks of cited writes, shared by records and events: a citation, and the write classes of a
 * cited field (`{ value, citations, alternatives? }`) whose value rules differ from field to field.
 */

/**
 * The longest quote, in characters (code points): a passage, never a whole text. The evidence check leaves a longer
 * one to this rule, unsearched (docs/design.md §2, invariant 10).
 */
export const MAX_QUOTE_LENGTH = 5000

/** The evidence for one value: which source, and its exact words. */
export class CitationInput {
  @JSONSchema({ description: 'Id of an existing source (see GET /v1/sources).' })
  @IsUUID('all', { message: 'sourceId must be the UUID of a source' })
  sourceId: string

  @JSONSchema({
    description:
      "The source's exact words that support the value. When the source has archived text the quote must occur in it; " +
      'only Unicode normalisation, typographic quotes and dashes, and runs of white space are forgiven.',
  })
  // Decorators run from the bottom up, and only the first failing one is reported: the type first.
  @Matches(/\S/, { message: 'quote must hold words, not only white space' })
  @Length(1, MAX_QUOTE_LENGTH)
  @IsString()
  quote: string

  @JSONSchema({ description: 'Optional remark for auditors, e.g. how the quote supports the value.' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string
}

// ISO codes are stored as written and filtered exactly, so "by" would be a different nationality from "BY".
export const UPPER_CASE_CODE = /^[A-Z]{2}$/

// class-validator and class-validator-jsonschema type their decorators slightly differently.
export type Rule = (target: object, property: string) => void

/**
 * ValidateNested({ each: true }) validates an array found among the items as a list of its own, so `[[]]`
 * would pass as a list of citations. Such items become null, which it reports at their index as not an object.
 */
const NoListsAsItems: Rule = Transform(({ value }) => (Array.isArray(value) ? value.map((item) => (Array.isArray(item) ? null : item)) : value))

const citationsRules: Rule[] = [
  JSONSchema({ description: 'At least one citation for a non-null value; none when the value is null.' }),
  IsArray(),
  ArrayMaxSize(20),
  ValidateNested({ each: true }),
  NoListsAsItems,
  Type(() => CitationInput),
]

/**
 * Builds the write classes of one cited field: the field itself (`{ value, citations, alternatives? }`,
 * value null to clear it) and its alternative claims (`{ value, citations }`, value required).
 * Every field shares this shape; only the rules of its value differ.
 */
export function citedField(title: string, valueRules: Rule[], valueSchema: Record<string, unknown> = {}) {
  const named = <T extends new () => object>(cls: T, name: string): T => Object.defineProperty(cls, 'name', { value: name })
  const apply = (target: object, property: string, rules: Rule[]) => {
    for (const rule of rules) rule(target, property)
  }

  const required = IsDefined({ message: 'value is required' })

  class AlternativeClaim {
    value: unknown
    citations: CitationInput[]
  }
  apply(AlternativeClaim.prototype, 'value', [required, ...valueRules, JSONSchema((generated) => ({ ...generated, ...valueSchema }))])
  apply(AlternativeClaim.prototype, 'citations', citationsRules)
  named(AlternativeClaim, `${title}AlternativeInput`)

  class Field {
    value: unknown
    citations: CitationInput[]
    alternatives?: AlternativeClaim[]
  }
  apply(Field.prototype, 'value', [
    IsDefined({ message: 'value is required: the value, or null to clear the field' }),
    ValidateIf((field: Field) => field.value !== null),
    ...valueRules,
    JSONSchema((generated) => ({ anyOf: [{ ...generated, ...valueSchema }, { type: 'null' }] })),
  ])
  apply(Field.prototype, 'citations', citationsRules)
  apply(Field.prototype, 'alternatives', [
    JSONSchema({ description: 'Other values that other sources give, each with its own citations.' }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    ValidateNested({ each: true }),
    NoListsAsItems,
    Type(() => AlternativeClaim),
  ])
  named(Field, `${title}Input`)
  JSONSchema({ required: ['value', 'citations'] })(Field)
  return Field
}

/**
 * A cited field of a write, checked by its input class. It may be left out (it stays as it is) but not be
 * null: a value is cleared by `{ "value": null, "citations": [] }`, which says so explicitly and goes
 * through the same checks.
 */
export function WriteField(input: () => new () => object): PropertyDecorator {
  return (target, property) => {
    const name = String(property)
    ValidateIf((_object: object, value: unknown) => value !== undefined)(target, name)
    IsObject({ message: `${name} must be an object { value, citations }; to clear it send { "value": null, "citations": [] }` })(target, name)
    ValidateNested()(target, name)
    Type(input)(target, name)
  }
}

/**
 * A property of a value that may be left out but is never null: the stored document is served under a schema
 * that has no null there (stored = served), so a null is refused at its path like any wrong
 * type. IsOptional would let it through.
 */
export const Omittable = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined)

export type FieldInput<V> = { value: V | null; citations: CitationInput[]; alternatives?: { value: V; citations: CitationInput[] }[] }
