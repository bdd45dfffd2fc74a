/**
 * The cited fields of a record (docs/design.md §3), each declared once, in the order reads show them. Everything
 * else is derived from this table: the write DTOs and their contract (`title`), the flat form (`form`), the response
 * schemas, the CSV columns (`csv`), the list's filters and sorts (`column`, `range`, `sortable`), JSON-LD (every
 * known value is a `Claim`). What a kind of value means (its rules, its JSON Schema, how a form and a CSV row spell
 * it) is said once per kind, in src/modules/prisoners/field-kinds.ts; a new field of an existing kind is one entry
 * here (docs/development.md, "Adding a cited field").
 */

import type { Language } from '../../shared/labels'

/** The kinds of value a record's field may hold; each has its rules, schema, form and CSV encoding once. */
export type FieldKind = 'name' | 'country' | 'status' | 'sentence' | 'partialDate' | 'destination' | 'identifiers' | 'recognition'

export interface RecordFieldDeclaration {
  /** The field's name for people, in every language of the registry (src/shared/labels.ts): feeds say what changed by it. */
  labels: Record<Language, string>
  kind: FieldKind
  /** The contract's name of the field: `<title>Field` in reads, `<title>Input` in writes. */
  title: string
  /** The prefix of its CSV columns (`release_date`, `release_date_citations`…). */
  csv: string
  /**
   * The column of `prisoners` that copies its public value so that lists filter and sort on it (a migration adds
   * it, the entity declares it); absent when lists do not filter on the field.
   */
  column?: { name: string; property: string; part?: string }
  /**
   * A column of `prisoners` that copies a list of names of the public value (its `part`), each folded to lower-case
   * words (`namesColumn`), so that `?<param>=` finds the records where one of them holds the words asked for.
   */
  names?: { name: string; property: string; part: string; param: string; description: string; example: string }
  /** (`column.part`: the column copies that part of an object value, as recognition's date.) */
  /** `from`/`to` query parameters of GET /v1/prisoners over a partial date, said as "<verb> on or after…". */
  range?: { from: string; to: string; verb: string }
  /** Whether GET /v1/prisoners may sort on it (`sort=<field>`, `sort=-<field>`): needs `column`. */
  sortable?: boolean
  /**
   * The flat form: what the value means to a person filling it, an example, and what its quote supports with
   * the quote's example (both quoting the seeded sources, so that Swagger UI's "Try it out" works as is).
   */
  form: { description: string; example: string; quoteOf: string; quoteExample: string }
}

export const RECORD_FIELDS = {
  name: {
    labels: { en: 'Name', be: 'Імя', ru: 'Имя', pl: 'Imię i nazwisko', lt: 'Vardas' },
    kind: 'name',
    title: 'Name',
    csv: 'name',
    form: {
      description: 'The name as the source spells it, in any script.',
      example: 'Siarhei Tsikhanouski',
      quoteOf: 'the name',
      quoteExample: 'prominent opposition figure Siarhei Tsikhanouski',
    },
  },
  nationality: {
    labels: { en: 'Nationality', be: 'Грамадзянства', ru: 'Гражданство', pl: 'Obywatelstwo', lt: 'Pilietybė' },
    kind: 'country',
    title: 'Nationality',
    csv: 'nationality',
    form: {
      description: 'The country of nationality',
      example: 'BY',
      quoteOf: 'the nationality',
      quoteExample: 'Belarusians openly criticising local officials',
    },
  },
  status: {
    labels: { en: 'Status', be: 'Статус', ru: 'Статус', pl: 'Status', lt: 'Statusas' },
    kind: 'status',
    title: 'Status',
    csv: 'status',
    form: {
      description: 'Whether the person is detained, released or deceased.',
      example: 'released',
      quoteOf: 'the status',
      quoteExample: 'Fourteen political prisoners, including prominent opposition figure Siarhei Tsikhanouski, have been released',
    },
  },
  sentence: {
    labels: { en: 'Sentence', be: 'Прысуд', ru: 'Приговор', pl: 'Wyrok', lt: 'Nuosprendis' },
    kind: 'sentence',
    title: 'Sentence',
    csv: 'sentence',
    form: {
      description: 'The sentence in words, as the source gives it.',
      example: '18 years in a high-security penal colony',
      quoteOf: 'the sentence',
      quoteExample: 'Tsikhanouski was sentenced to 18 years in a high-security penal colony',
    },
  },
  releaseDate: {
    labels: { en: 'Release date', be: 'Дата вызвалення', ru: 'Дата освобождения', pl: 'Data uwolnienia', lt: 'Paleidimo data' },
    kind: 'partialDate',
    title: 'ReleaseDate',
    csv: 'release_date',
    column: { name: 'release_date', property: 'releaseDate' },
    range: { from: 'releasedFrom', to: 'releasedTo', verb: 'Released' },
    sortable: true,
    form: { description: 'The day of release', example: '2025-06-21', quoteOf: 'the date', quoteExample: '21 June 2025' },
  },
  destination: {
    labels: { en: 'Destination', be: 'Куды вывезены', ru: 'Куда вывезен', pl: 'Miejsce docelowe', lt: 'Išvežtas į' },
    kind: 'destination',
    title: 'Destination',
    csv: 'destination',
    form: {
      description: 'The country the person was taken to on release',
      example: 'LT',
      quoteOf: 'the destination',
      quoteExample: 'were transferred to Lithuania',
    },
  },
  identifiers: {
    labels: { en: 'Identifiers', be: 'Ідэнтыфікатары', ru: 'Идентификаторы', pl: 'Identyfikatory', lt: 'Identifikatoriai' },
    kind: 'identifiers',
    title: 'Identifiers',
    csv: 'identifiers',
    // An empty example: the seed's sources state no such id, so a prefilled one would be refused as uncited, and
    // without an example Swagger UI fills the field with the word "string", which would be sent.
    form: { description: "The person's ids in other registries", example: '', quoteOf: 'the ids (e.g. the Wikidata item captured as a source)', quoteExample: '' },
  },
  arrestDate: {
    labels: { en: 'Arrest date', be: 'Дата затрымання', ru: 'Дата задержания', pl: 'Data aresztowania', lt: 'Sulaikymo data' },
    kind: 'partialDate',
    title: 'ArrestDate',
    csv: 'arrest_date',
    column: { name: 'arrest_date', property: 'arrestDate' },
    range: { from: 'arrestedFrom', to: 'arrestedTo', verb: 'Arrested' },
    // Empty, as identifiers': Swagger UI sends a form field's example when the volunteer leaves it, and a record from
    // another source does not quote "He was arrested in 2020" (the browser test's form was refused on it).
    form: { description: 'The day of arrest, as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020)', example: '', quoteOf: 'the date of arrest', quoteExample: '' },
  },
  recognition: {
    labels: {
      en: 'Recognised as a political prisoner',
      be: 'Прызнаны палітвязнем',
      ru: 'Признан политзаключённым',
      pl: 'Uznany za więźnia politycznego',
      lt: 'Pripažintas politiniu kaliniu',
    },
    kind: 'recognition',
    title: 'Recognition',
    csv: 'recognition',
    column: { name: 'recognition_date', property: 'recognitionDate', part: 'date' },
    names: {
      name: 'recognized_by',
      property: 'recognizedBy',
      part: 'by',
      param: 'recognizedBy',
      description:
        'Only the records recognised as political prisoners by an organisation whose name holds these words (whole words, ' +
        'in any case, with or without diacritics), e.g. Viasna.',
      example: 'Viasna',
    },
    range: { from: 'recognitionDateFrom', to: 'recognitionDateTo', verb: 'Recognised' },
    sortable: true,
    // Empty, as arrestDate's: the seed's articles do not say who recognised the fourteen, so an example would be refused as uncited.
    form: {
      description: 'The organisations that recognised the person as a political prisoner, and the date of their statement',
      example: '',
      quoteOf: 'the recognition (the statement naming the organisations, the date and the person)',
      quoteExample: '',
    },
  },
} as const satisfies Record<string, RecordFieldDeclaration>

export type PrisonerField = keyof typeof RECORD_FIELDS

/** The fields in the order reads show them. */
export const PRISONER_FIELDS = Object.keys(RECORD_FIELDS) as PrisonerField[]

/** Each field's declaration, typed as the general shape (the table itself keeps its literal types). */
export const declarationOf = (field: PrisonerField): RecordFieldDeclaration => RECORD_FIELDS[field]

/** The declaration of a field named in a change (a feed names the fields of events too): undefined when not a record's. */
export const recordFieldNamed = (name: string): RecordFieldDeclaration | undefined =>
  Object.hasOwn(RECORD_FIELDS, name) ? declarationOf(name as PrisonerField) : undefined

/** The fields whose values lists copy into a column of their own. */
export const COLUMN_FIELDS = PRISONER_FIELDS.filter((field) => declarationOf(field).column)

/** The fields whose values lists copy as folded names into a column of their own (`names`). */
export const NAMES_FIELDS = PRISONER_FIELDS.filter((field) => declarationOf(field).names)

/** The value a field's `column` copies: the value itself, or its `part` (null when absent). */
export function columnValue(field: PrisonerField, value: unknown): string | null {
  const part = declarationOf(field).column?.part
  if (value === null || value === undefined) return null
  if (part === undefined) return value as string
  return ((value as Record<string, unknown>)[part] as string | undefined) ?? null
}

/** A name as `names` columns hold it and filters ask for it: lower-case letters and digits, words split by one space. */
export const foldedWords = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

/** A list of names as its column holds it: `| viasna | belarusian pen |`, so that `LIKE '% viasna %'` finds whole words of one name. */
export function namesColumn(field: PrisonerField, value: unknown): string | null {
  const part = declarationOf(field).names?.part
  const names = value === null || value === undefined || part === undefined ? undefined : (value as Record<string, unknown>)[part]
  if (!Array.isArray(names) || names.length === 0) return null
  return `|${names.map((name) => ` ${foldedWords(String(name))} |`).join('')}`
}
