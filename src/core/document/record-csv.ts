import { countryCode } from '../../shared/countries'
import type { ExternalIdentifier, FieldView, PrisonerDocument } from './fields'
import type { FieldKind } from './record-fields'

/**
 * How each kind of value (record-fields.ts) is spelled in a spreadsheet, both ways: the columns the CSV export
 * writes (src/modules/export/csv-record.ts) and the columns an import reads them back from
 * (src/modules/imports/). One entry per kind, named after each field's `csv` prefix, so that a new field is
 * exported and importable without either knowing it.
 */

interface SentenceValue {
  text?: string
  termMonths?: number
  sentencedIn?: string
  charges?: string[]
}

interface DestinationValue {
  country?: string
  place?: string
}

interface RecognitionValue {
  by: string[]
  date?: string
}

export type Cell = string | number | null | undefined
/** One column of a CSV export: its header and how a document fills it (records here, events in the export's csv-event.ts). */
export type Column<D = PrisonerDocument> = [header: string, cell: (document: D) => Cell]

export const LIST_SEPARATOR = ' | '

/** `wikidata:Q42`: an identifier as the `identifier` filter of GET /v1/prisoners takes it. */
const identifierText = ({ scheme, id }: ExternalIdentifier) => `${scheme}:${id}`

/** A value as a cell: strings as they are, anything structured as compact JSON. */
export function plainValue(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw)
}

export const alternativesOf = (field: FieldView): FieldView['alternatives'] => field.alternatives ?? []

/** A field's preferred value, typed as its kind holds it. */
const valueOf = <T>(field: FieldView) => field.value as T | null

/**
 * One column an import reads a value from: its header (as the export names it), the part of the value it fills
 * (`''` the whole value, else the property of an object value: `text`, `country`), and how its text reads.
 */
export interface ImportCell {
  header: string
  part: string
  read: (text: string) => unknown
}

const asText = (text: string) => text
/** A country by its code or its name in a language of the registry; as it is when it names none, for the write's rules to refuse. */
const asCountry = (text: string) => countryCode(text) ?? text
/** A whole number as a number; anything else as it is, for the write's rules to refuse. */
const asWholeNumber = (text: string) => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : text)
const asList = (text: string) =>
  text
    .split('|')
    .map((item) => item.trim())
    .filter(Boolean)
/** `wikidata:Q42 | viasna:123` (the export's spelling; spaces or commas also part them); an item without its colon keeps its text as the scheme, for the rules to refuse. */
const asIdentifiers = (text: string) =>
  text
    .split(/[\s|,]+/)
    .filter(Boolean)
    .map((item) => (item.includes(':') ? { scheme: item.slice(0, item.indexOf(':')), id: item.slice(item.indexOf(':') + 1) } : { scheme: item, id: '' }))

const whole = (read: ImportCell['read'] = asText) => (prefix: string): ImportCell[] => [{ header: prefix, part: '', read }]

interface KindCsv {
  /** The export's value columns of a field of this kind. */
  columns: (prefix: string) => Column<FieldView>[]
  /** False when the export gives the alternatives' values columns of their own (the name's). */
  alternativeValues?: false
  /** The export's value columns an import reads the value back from (each a header of `columns`). */
  cells: (prefix: string) => ImportCell[]
}

/** The value columns of each kind of field (record-fields.ts), named after the field's `csv` prefix. */
export const KIND_COLUMNS: Record<FieldKind, KindCsv> = {
  // The other spellings of a name are values worth a column of their own, beside it rather than with the evidence.
  name: {
    columns: (prefix) => [
      [prefix, (f) => valueOf<string>(f)],
      [`${prefix}_alternatives`, (f) => alternativesOf(f).map((a) => plainValue(a.value)).join(LIST_SEPARATOR)],
    ],
    alternativeValues: false,
    cells: whole(),
  },
  country: { columns: (prefix) => [[prefix, (f) => valueOf<string>(f)]], cells: whole(asCountry) },
  status: { columns: (prefix) => [[prefix, (f) => valueOf<string>(f)]], cells: whole() },
  sentence: {
    columns: (prefix) => [
      [`${prefix}_text`, (f) => valueOf<SentenceValue>(f)?.text],
      [`${prefix}_term_months`, (f) => valueOf<SentenceValue>(f)?.termMonths],
      [`${prefix}_sentenced_in`, (f) => valueOf<SentenceValue>(f)?.sentencedIn],
      [`${prefix}_charges`, (f) => valueOf<SentenceValue>(f)?.charges?.join(LIST_SEPARATOR)],
    ],
    cells: (prefix) => [
      { header: `${prefix}_text`, part: 'text', read: asText },
      { header: `${prefix}_term_months`, part: 'termMonths', read: asWholeNumber },
      { header: `${prefix}_sentenced_in`, part: 'sentencedIn', read: asText },
      { header: `${prefix}_charges`, part: 'charges', read: asList },
    ],
  },
  partialDate: { columns: (prefix) => [[prefix, (f) => valueOf<string>(f)]], cells: whole() },
  destination: {
    columns: (prefix) => [
      [`${prefix}_country`, (f) => valueOf<DestinationValue>(f)?.country],
      [`${prefix}_place`, (f) => valueOf<DestinationValue>(f)?.place],
    ],
    cells: (prefix) => [
      { header: `${prefix}_country`, part: 'country', read: asCountry },
      { header: `${prefix}_place`, part: 'place', read: asText },
    ],
  },
  identifiers: {
    columns: (prefix) => [[prefix, (f) => valueOf<ExternalIdentifier[]>(f)?.map(identifierText).join(LIST_SEPARATOR)]],
    cells: whole(asIdentifiers),
  },
  recognition: {
    columns: (prefix) => [
      [`${prefix}_by`, (f) => valueOf<RecognitionValue>(f)?.by.join(LIST_SEPARATOR)],
      [`${prefix}_date`, (f) => valueOf<RecognitionValue>(f)?.date],
    ],
    cells: (prefix) => [
      { header: `${prefix}_by`, part: 'by', read: asList },
      { header: `${prefix}_date`, part: 'date', read: asText },
    ],
  },
}

/**
 * The value an import's cells make, from the texts of a field's cells (empty ones left out): the whole value, an
 * object of the parts given, or undefined when none is.
 */
export function valueFromCells(cells: ImportCell[], text: (header: string) => string | undefined): unknown {
  const given = cells.filter(({ header }) => text(header) !== undefined)
  if (given.length === 0) return undefined
  if (cells.length === 1 && cells[0].part === '') return cells[0].read(text(cells[0].header)!)
  return Object.fromEntries(given.map(({ header, part, read }) => [part, read(text(header)!)]))
}
