import type { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import { ProblemError } from '../../errors'

/**
 * A spreadsheet read row by row as its bytes arrive, never whole (docs/design.md §2, invariant 10): csv-parse's
 * stream parser for CSV, exceljs's streaming WorkbookReader for XLSX (its first worksheet). The caller takes one row
 * at a time and awaits its work before the next, so the upload is read only as fast as rows are handled (back
 * pressure through the parser and the multipart reader to the socket).
 */

/** One row: its number as a spreadsheet shows it (the header is row 1), and its cells' texts, an empty cell undefined. */
export interface SheetRow {
  number: number
  cells: (string | undefined)[]
}

export type SheetFormat = 'csv' | 'xlsx'

/** The most characters one CSV record may have: no row of a person comes near it. */
const MAX_RECORD_CHARACTERS = 1_000_000

/** The format of an uploaded file, by its name (then its type); undefined when it is neither. */
export function sheetFormat(filename: string, mimetype: string): SheetFormat | undefined {
  const name = filename.toLowerCase()
  if (name.endsWith('.csv')) return 'csv'
  if (name.endsWith('.xlsx')) return 'xlsx'
  if (mimetype === 'text/csv') return 'csv'
  if (mimetype === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx'
  return undefined
}

const fileProblem = (message: string) => new ProblemError('validation-failed', `file ${message}.`, [{ path: 'file', message }])

const filled = (text: string) => (text.trim() === '' ? undefined : text)

/**
 * The export writes a cell that would run as a formula with a leading apostrophe, and one that starts with an
 * apostrophe with another (src/modules/export/csv-record.ts): one leading apostrophe is dropped, so an export reads back as it was.
 */
const unescaped = (text: string) => (text.startsWith("'") ? text.slice(1) : text)

async function* csvRows(file: Readable): AsyncGenerator<SheetRow> {
  // Empty lines are kept (and then skipped as empty rows) so that row numbers are those a spreadsheet shows.
  const parser = file.pipe(parse({ bom: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARACTERS }))
  file.on('error', (error) => parser.destroy(error))
  let number = 0
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      number += 1
      yield { number, cells: record.map((text) => filled(unescaped(text))) }
    }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('CSV_')) throw fileProblem(`is not a CSV file this import reads: ${(error as Error).message}`)
    throw error
  } finally {
    // Stopped early (a refused file, a row limit, an error): the rest of the upload is read and dropped, so the request ends.
    file.unpipe(parser)
    file.resume()
  }
}

/** A cell of exceljs as the text a person reads in it: a date as YYYY-MM-DD, a formula as its result, rich text as its text. */
function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value !== 'object') return filled(String(value))
  if ('richText' in value) return filled(value.richText.map((part) => part.text).join(''))
  if ('text' in value && typeof value.text === 'string') return filled(value.text)
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue)
  return undefined
}

async function* xlsxRows(file: Readable): AsyncGenerator<SheetRow> {
  let fileError: Error | undefined
  file.on('error', (error) => (fileError = error))
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' })
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[]
        yield { number: row.number, cells: Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => cellText(values[i + 1])) }
      }
      // The first worksheet only; the rest of the file is read and dropped.
      break
    }
  } catch (error) {
    if (error instanceof ProblemError || fileError) throw fileError ?? error
    throw fileProblem(`is not an XLSX workbook this import reads: ${(error as Error).message}`)
  } finally {
    file.resume()
  }
}

/** The rows of an uploaded spreadsheet, as they arrive. */
export function sheetRows(file: Readable, format: SheetFormat): AsyncGenerator<SheetRow> {
  return format === 'csv' ? csvRows(file) : xlsxRows(file)
}
