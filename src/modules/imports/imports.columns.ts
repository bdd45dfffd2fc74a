import { PRISONER_FIELDS, type PrisonerField } from '../../core/document/fields'
import { declarationOf } from '../../core/document/record-fields'
import { ImportCell, KIND_COLUMNS, valueFromCells } from '../../core/document/record-csv'
import type { FieldError } from '../../errors'

/**
 * The columns of an import (docs/api.md, "Importing a spreadsheet"), derived from the same declarations as the
 * CSV export's (core/document/record-csv.ts, each field's `csv` prefix): a new field is importable as it is
 * exported. Per field, its value columns as the export names them (`name`, `sentence_text`, `destination_country`…),
 * and its citation: `<prefix>_source_id` and `<prefix>_quote`. Per row: `source_id` and `quote`, the citation of
 * every value without its own; `id`, the record the row proposes changes to (else it is a new record); `row_key`, the
 * row's own key (else the hash of its content); `comment`, kept in the record's history.
 */

/** A cited field as an import spells it. */
interface FieldColumns {
  field: PrisonerField
  cells: ImportCell[]
  sourceColumn: string
  quoteColumn: string
}

const FIELD_COLUMNS: FieldColumns[] = PRISONER_FIELDS.map((field) => {
  const { kind, csv } = declarationOf(field)
  return { field, cells: KIND_COLUMNS[kind].cells(csv), sourceColumn: `${csv}_source_id`, quoteColumn: `${csv}_quote` }
})
const BY_FIELD = new Map(FIELD_COLUMNS.map((columns) => [columns.field as string, columns]))

export const ROW_COLUMNS = { id: 'id', rowKey: 'row_key', sourceId: 'source_id', quote: 'quote', comment: 'comment' } as const

/** Every column an import reads, in the order docs/api.md lists them. */
export const IMPORT_COLUMNS: readonly string[] = [
  ROW_COLUMNS.id,
  ROW_COLUMNS.rowKey,
  ROW_COLUMNS.sourceId,
  ROW_COLUMNS.quote,
  ...FIELD_COLUMNS.flatMap(({ cells, sourceColumn, quoteColumn }) => [...cells.map(({ header }) => header), sourceColumn, quoteColumn]),
  ROW_COLUMNS.comment,
]
const KNOWN = new Set(IMPORT_COLUMNS)
export const isImportColumn = (header: string) => KNOWN.has(header)

/** A row's texts by column; an empty cell is absent. */
export type RowText = (column: string) => string | undefined

/** Where each citation of the write came from, so that its problems point at the column that said it. */
interface CitationColumns {
  source: string
  quote: string
}

/** A row as the JSON write of a record (the body of POST /v1/prisoners), and the columns its citations came from. */
export interface RowWrite {
  write: Record<string, unknown>
  citationColumns: Map<string, CitationColumns>
  /** Problems only the import's spelling has: a quote without its value. */
  problems: FieldError[]
}

export function rowWrite(text: RowText): RowWrite {
  const write: Record<string, unknown> = {}
  const citationColumns = new Map<string, CitationColumns>()
  const problems: FieldError[] = []
  for (const { field, cells, sourceColumn, quoteColumn } of FIELD_COLUMNS) {
    const value = valueFromCells(cells, text)
    if (value === undefined) {
      if (text(quoteColumn) !== undefined || text(sourceColumn) !== undefined) {
        const column = text(quoteColumn) !== undefined ? quoteColumn : sourceColumn
        problems.push({ path: column, message: `${column} is given but ${cells[0].header} is empty: fill in ${cells[0].header}, or empty ${column}` })
      }
      continue
    }
    const quote = text(quoteColumn) ?? text(ROW_COLUMNS.quote)
    const sourceId = text(sourceColumn) ?? text(ROW_COLUMNS.sourceId)
    citationColumns.set(field, {
      source: text(sourceColumn) !== undefined ? sourceColumn : ROW_COLUMNS.sourceId,
      quote: text(quoteColumn) !== undefined ? quoteColumn : ROW_COLUMNS.quote,
    })
    write[field] = { value, citations: quote === undefined ? [] : [{ sourceId: sourceId ?? '', quote }] }
  }
  const comment = text(ROW_COLUMNS.comment)
  if (comment !== undefined) write.comment = comment
  return { write, citationColumns, problems }
}

/**
 * A problem of the JSON write (a FieldError the write's rules or the evidence check raised, at a JSON Pointer) at
 * the column a person fills, said in the column's words: by the error's path, the word its message names the field
 * by (`subject`) and its typed `reason`, never by the message's wording (as the record form does, prisoners.form.ts).
 */
export function toColumnError({ path, message, subject, reason }: FieldError, { citationColumns }: RowWrite): FieldError {
  const [, field = '', ...rest] = path.split('/')
  const spec = BY_FIELD.get(field)
  if (!spec) return { path: field, message }
  const naming = (column: string) => (subject ? column + message.slice(subject.length) : message)
  const cited = citationColumns.get(field) ?? { source: ROW_COLUMNS.sourceId, quote: spec.quoteColumn }
  const valueColumn = spec.cells[0].header
  if (rest[0] === 'value') {
    const cell = spec.cells.find(({ part }) => part !== '' && part === rest[1])
    const column = cell?.header ?? valueColumn
    return { path: column, message: cell || subject === 'value' ? naming(column) : message }
  }
  if (rest[0] === 'citations' && rest.length === 1) {
    const text =
      reason === 'uncited'
        ? `${valueColumn} has a value but no quote: put the words of the source that support it in ${spec.quoteColumn} (or, for every value of the row, in ${ROW_COLUMNS.quote})`
        : message
    return { path: spec.quoteColumn, message: text }
  }
  if (rest[0] === 'citations') {
    if (rest[2] === 'sourceId' || reason === 'unknown-source') return { path: cited.source, message: subject === 'sourceId' ? naming(cited.source) : message }
    return { path: cited.quote, message: subject === 'quote' ? naming(cited.quote) : message }
  }
  return { path: valueColumn, message }
}
