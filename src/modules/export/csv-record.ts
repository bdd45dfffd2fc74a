import { CitationView, FieldView, PRISONER_FIELDS, PrisonerDocument, PrisonerField } from '../../core/document/fields'
import { declarationOf } from '../../core/document/record-fields'
import { Cell, Column, KIND_COLUMNS, LIST_SEPARATOR, alternativesOf, plainValue } from '../../core/document/record-csv'

// Each kind's value columns are declared in core (record-csv.ts), which imports read back too.
export { type Column, LIST_SEPARATOR, plainValue } from '../../core/document/record-csv'

/**
 * How a record becomes one CSV row (RFC 4180), for people who read the registry in a spreadsheet and for
 * auditors who must still trace every value to its source. The ndjson export is the lossless one; this
 * flattening favours reading, and says here (and in GET /v1/export's description) exactly how.
 *
 * Columns, in this order:
 * - the values: id, version, then each field's preferred value, objects spread over one column per part
 *   (sentence_text, sentence_term_months, sentence_sentenced_in, sentence_charges; destination_country,
 *   destination_place), lists joined with " | " (sentence_charges), the other spellings of the name in
 *   name_alternatives; identifiers, the ids of other registries as scheme:id (wikidata:Q42) joined with " | ";
 *   then events, the ids of the events the person took part in (GET /v1/events/{id}),
 *   joined with " | "; then created_at, updated_at;
 * - the evidence, field by field: `<field>_citations`, the citations of the preferred value; for fields
 *   other than the name, `<field>_alternatives`, the values other sources give (strings as they are,
 *   objects as compact JSON); and `<field>_alternatives_citations`, the citations of each alternative,
 *   in the same order, one group per alternative, groups joined with " || ".
 * - one citation reads `sourceId[start:end] "quote"`: the source's id, the code-point offsets of the quote
 *   in the source's archived text (`[]` when the source has no archived text), and the quote as a JSON
 *   string (so " inside it is \"); a note follows as ` note "…"`. Citations are joined with " | ".
 *   A citation of a private source reads `private source`; the citations of a withheld value read
 *   `withheld: <reason> since <date>` (its value cell is empty).
 *
 * Empty cells are null values (or no alternatives). Cells are quoted only when they must be (a comma, a
 * double quote or a line break); rows end with CRLF; the file starts with a UTF-8 byte-order mark so that
 * spreadsheet programs read Cyrillic, Łacinka and Japanese names as UTF-8.
 *
 * Formula injection (OWASP "CSV injection"): a cell that starts with = + - @, a tab or a carriage return
 * would run as a formula in a spreadsheet; such a cell gets a leading apostrophe ('). So that the rule can
 * be undone exactly, a cell that itself starts with an apostrophe gets one too: to recover a value, drop
 * one leading apostrophe from any cell that starts with one.
 */

const GROUP_SEPARATOR = ' || '

export function formatCitation(citation: CitationView): string {
  if (citation.private && citation.quote === null) return 'private source'
  const offsets = citation.start === null || citation.end === null ? '[]' : `[${citation.start}:${citation.end}]`
  const note = citation.note ? ` note ${JSON.stringify(citation.note)}` : ''
  return `${citation.sourceId}${offsets} ${JSON.stringify(citation.quote)}${note}`
}

export function formatCitations(citations: CitationView[]): string {
  return citations.map(formatCitation).join(LIST_SEPARATOR)
}

/**
 * The evidence of one field, `<prefix>_citations`, `<prefix>_alternatives` (unless the values of the alternatives
 * have columns of their own, as the name's) and `<prefix>_alternatives_citations`: of a record's field or an event's.
 */
export function evidenceColumns<D>(prefix: string, fieldOf: (document: D) => FieldView, { alternativeValues = true } = {}): Column<D>[] {
  const citations = ({ withheld, citations }: FieldView) => (withheld ? `withheld: ${withheld.reason} since ${withheld.since}` : formatCitations(citations))
  const columns: Column<D>[] = [[`${prefix}_citations`, (d) => citations(fieldOf(d))]]
  if (alternativeValues) {
    columns.push([`${prefix}_alternatives`, (d) => alternativesOf(fieldOf(d)).map((a) => plainValue(a.value)).join(LIST_SEPARATOR)])
  }
  columns.push([`${prefix}_alternatives_citations`, (d) => alternativesOf(fieldOf(d)).map((a) => formatCitations(a.citations)).join(GROUP_SEPARATOR)])
  return columns
}

/** A field's columns as columns of the record: each cell reads the field. */
const ofField = (field: PrisonerField, columns: Column<FieldView>[]): Column[] => columns.map(([header, cell]) => [header, (r) => cell(r[field])])

const VALUE_COLUMNS: Column[] = [
  ['id', (r) => r.id],
  ['version', (r) => r.version],
  ...PRISONER_FIELDS.flatMap((field) => ofField(field, KIND_COLUMNS[declarationOf(field).kind].columns(declarationOf(field).csv))),
  ['events', (r) => (r.events ?? []).map((event) => event.id).join(LIST_SEPARATOR)],
  ['created_at', (r) => r.createdAt],
  ['updated_at', (r) => r.updatedAt],
]

const COLUMNS: Column[] = [
  ...VALUE_COLUMNS,
  ...PRISONER_FIELDS.flatMap((field) => {
    const { kind, csv } = declarationOf(field)
    return evidenceColumns<PrisonerDocument>(csv, (r) => r[field], { alternativeValues: KIND_COLUMNS[kind].alternativeValues ?? true })
  }),
]

export const CSV_HEADERS: readonly string[] = COLUMNS.map(([header]) => header)
/** The headers of the values, before the evidence: what GET /v1/export's description lists. */
export const CSV_VALUE_HEADERS: readonly string[] = VALUE_COLUMNS.map(([header]) => header)
/** The prefixes of the evidence columns, one per field. */
export const CSV_FIELD_PREFIXES: readonly string[] = PRISONER_FIELDS.map((field) => declarationOf(field).csv)

const FORMULA_START = /^[=+\-@\t\r']/
const NEEDS_QUOTES = /[",\r\n]/

/** One cell, neutralised against formula injection and quoted as RFC 4180 requires. */
export function csvCell(raw: Cell): string {
  if (raw === null || raw === undefined) return ''
  let text = String(raw)
  if (FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const CRLF = '\r\n'
export const CSV_BOM = '\ufeff'

/** The header row of a table of these columns. */
export function csvHeaderOf<D>(columns: Column<D>[]): string {
  return columns.map(([header]) => csvCell(header)).join(',') + CRLF
}

/** One document as a row of a table of these columns. */
export function csvLineOf<D>(columns: Column<D>[], document: D): string {
  return columns.map(([, cell]) => csvCell(cell(document))).join(',') + CRLF
}

export const csvHeaderLine = (): string => csvHeaderOf(COLUMNS)

export const csvRecordLine = (record: PrisonerDocument): string => csvLineOf(COLUMNS, record)
