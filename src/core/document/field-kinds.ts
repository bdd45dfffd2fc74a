import { Type } from 'class-transformer'
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator'
import { PRISONER_STATUSES, type PrisonerField } from './fields'
import { declarationOf, type FieldKind, type RecordFieldDeclaration } from './record-fields'
import { Rule } from '../../shared/cited-field.dto'
import { COUNTRY_CHOICES, countryChoice, countryCode } from '../../shared/countries'
import { IsPartialDate } from '../../shared/partial-date'
import { COUNTRY_CODE_SCHEMA } from '../../shared/countries'
import { DestinationValue, IdentifierValue, RecognitionValue, IsCountryCode, NoRepeatedIdentifiers, SCHEME_FORMS, SentenceValue } from './field-values.dto'

/**
 * What each kind of value (core/document/record-fields.ts) means to a write: the rules of its `value`, what its
 * JSON Schema adds to what they generate, and how the flat form spells it. One entry per kind: every field of
 * that kind gets these, under its own names.
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
  recognition: {
    rules: [IsObject({ message: 'value must be one object { by, date? }' }), ValidateNested(), Type(() => RecognitionValue)],
  },
}

/** One text field of the flat form: its name, what it asks for, its example, and what its JSON Schema adds. */
export interface FormText {
  property: string
  description: string
  example: string
  extra?: Record<string, unknown>
}

type Form = Record<string, string | undefined>

/** How the flat form spells a kind of value: its form fields, the first the value as a whole, and the value they make. */
interface KindForm {
  texts: (field: PrisonerField, declaration: RecordFieldDeclaration) => FormText[]
  /** The form field of each part of an object value (`/sentence/value/text` → sentenceText). */
  parts?: (field: PrisonerField) => Record<string, string>
  /** The value the form gives; undefined when it leaves the field out. */
  value: (form: Form, field: PrisonerField) => unknown
}

/**
 * A country in a form: Swagger UI shows the list as a select whose options read "Belarus (BY)", so that typing
 * "Belarus" finds it; the form also takes the code or the name in any language of the registry (src/shared/countries.ts).
 */
const countryText = (property: string, description: string, example: string): FormText => ({
  property,
  description:
    `${description}: choose it in the list (type its English name to find it), or send its two-letter code (BY) or its name ` +
    'in English, Belarusian, Russian, Polish or Lithuanian (Belarus, Беларусь, Białoruś, Baltarusija), in any case, with or without diacritics.',
  example: countryChoice(example),
  extra: { enum: COUNTRY_CHOICES },
})
/** The code of the country a form names; what it holds as it is when it names none, for the rules to refuse with the closest names. */
const countryOf = (text: string | undefined) => (text === undefined ? undefined : (countryCode(text) ?? text))

const oneText: KindForm['texts'] = (field, { form }) => [{ property: field, description: form.description, example: form.example }]
const asItIs: KindForm['value'] = (form, field) => form[field]

/**
 * `wikidata:Q42 viasna:…` as the list `[{ scheme, id }]`; an item without its colon keeps its text as the scheme,
 * so that the JSON rules refuse it by name.
 */
function identifierList(text: string): { scheme: string; id: string }[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => (item.includes(':') ? { scheme: item.slice(0, item.indexOf(':')), id: item.slice(item.indexOf(':') + 1) } : { scheme: item, id: '' }))
}

export const KIND_FORMS: Record<FieldKind, KindForm> = {
  name: { texts: oneText, value: asItIs },
  country: {
    texts: (field, { form }) => [countryText(field, form.description, form.example)],
    value: (form, field) => countryOf(form[field]),
  },
  status: {
    texts: (field, { form }) => [{ property: field, description: form.description, example: form.example, extra: { enum: [...PRISONER_STATUSES] } }],
    value: asItIs,
  },
  sentence: {
    texts: (field, { form }) => [{ property: `${field}Text`, description: form.description, example: form.example }],
    parts: (field) => ({ text: `${field}Text` }),
    value: (form, field) => (form[`${field}Text`] === undefined ? undefined : { text: form[`${field}Text`] }),
  },
  partialDate: {
    texts: (field, { form }) => [
      { property: field, description: `${form.description}, as precisely as the source says: 2025, 2025-06 or 2025-06-21 (year-month-day).`, example: form.example },
    ],
    value: asItIs,
  },
  destination: {
    texts: (field, { form }) => [
      countryText(`${field}Country`, form.description, form.example),
      { property: `${field}Place`, description: 'The town or place there, if the source names it.', example: 'Vilnius' },
    ],
    parts: (field) => ({ country: `${field}Country`, place: `${field}Place` }),
    value: (form, field) => {
      const [country, place] = [countryOf(form[`${field}Country`]), form[`${field}Place`]]
      return country === undefined && place === undefined ? undefined : { country, ...(place === undefined ? {} : { place }) }
    },
  },
  identifiers: {
    texts: (field, { form }) => [
      {
        property: field,
        description:
          `${form.description}, as scheme:id, several separated by spaces: ${SCHEME_FORMS.replace(/ /g, ':')}. ` +
          'On a change, the whole list: the ids already there that you leave out are removed.',
        example: form.example,
      },
    ],
    value: (form, field) => (form[field] === undefined ? undefined : identifierList(form[field])),
  },
  // The organisations in one text, separated by semicolons (their names hold commas and spaces), and the date.
  recognition: {
    texts: (field, { form }) => [
      { property: `${field}By`, description: `${form.description}: the organisations, separated by semicolons (Viasna; Belarusian PEN).`, example: form.example },
      { property: `${field}Date`, description: 'The date of the statement, as precisely as it says: 2025, 2025-06 or 2025-06-21.', example: '' },
    ],
    parts: (field) => ({ by: `${field}By`, date: `${field}Date` }),
    value: (form, field) => {
      const [by, date] = [form[`${field}By`], form[`${field}Date`]]
      if (by === undefined && date === undefined) return undefined
      const names = (by ?? '').split(';').map((name) => name.trim()).filter(Boolean)
      return { by: names, ...(date === undefined ? {} : { date }) }
    },
  },
}

/** A cited field as the flat form spells it: its form fields, the one a problem with the whole value points at, its quote. */
export interface FormField {
  field: PrisonerField
  texts: FormText[]
  valueField: string
  parts: Record<string, string>
  quoteField: string
  quoteOf: string
  quoteExample: string
  value: (form: Form) => unknown
}

export const formFieldOf = (field: PrisonerField): FormField => {
  const declaration = declarationOf(field)
  const kind = KIND_FORMS[declaration.kind]
  const texts = kind.texts(field, declaration)
  return {
    field,
    texts,
    valueField: texts[0].property,
    parts: kind.parts?.(field) ?? {},
    quoteField: `${field}Quote`,
    quoteOf: declaration.form.quoteOf,
    quoteExample: declaration.form.quoteExample,
    value: (form) => kind.value(form, field),
  }
}
