import { PRISONER_STATUSES, type PrisonerField } from '../../core/document/fields'
import { declarationOf, type FieldKind, type RecordFieldDeclaration } from '../../core/document/record-fields'
import { COUNTRY_CHOICES, countryChoice, countryCode } from '../../shared/countries'
import { SCHEME_FORMS } from '../../core/record/record-values.dto'

/**
 * How the flat form spells each kind of value (core/document/record-fields.ts); the rules of a value are the write's
 * (core/record/record-write.dto.ts). One entry per kind: every field of that kind gets these, under its own names.
 */

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
