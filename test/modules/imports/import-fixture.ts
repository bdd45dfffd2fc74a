import { randomUUID } from 'node:crypto'

/**
 * A spreadsheet of `count` people written for the suite (no third-party text), the source text its quotes come
 * from, and the faults planted in it: each (row, column) a dry run must name, and nothing else.
 */

export const SOURCE_TITLE = 'Joint statement on political prisoners (written for the test suite)'

const FIRST = ['Ales', 'Ihar', 'Natallia', 'Siarhei', 'Volha', 'Pavel', 'Maryia', 'Andrei', 'Hanna', 'Mikalai']
const LAST = ['Karpenka', 'Bialiatski', 'Kalesnikava', 'Lastouski', 'Harbatsevich', 'Sieviaryn', 'Zhuk', 'Navumchyk', 'Drozd', 'Yermak']

const nameOf = (i: number) => `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]} ${String.fromCharCode(65 + (Math.floor(i / 100) % 26))}${i}`
const lineOf = (i: number) => `No. ${i}: ${nameOf(i)}, a citizen of Belarus, was sentenced to ${(i % 9) + 1} years of imprisonment and remains detained.`

/** The source's archived text: one sentence a person. */
export function sourceText(count: number): string {
  return ['The human rights organisations recognise the following persons as political prisoners.', ...Array.from({ length: count }, (_, i) => lineOf(i))].join('\n')
}

export const HEADER = ['row_key', 'name', 'nationality', 'status', 'sentence_text', 'sentence_term_months', 'release_date', 'source_id', 'quote', 'name_quote', 'sentence_source_id', 'id', 'nickname']

export interface Fixture {
  rows: string[][]
  /** The planted faults: the spreadsheet row (header = 1) and the column a dry run must name. */
  faults: { row: number; column: string }[]
}

/** `count` rows; the first `faulty.length`… no: faults at fixed rows, spread through the file. */
export function fixture(count: number, sourceId: string): Fixture {
  const rows: string[][] = []
  const faults: { row: number; column: string }[] = []
  for (let i = 0; i < count; i++) {
    const cells: Record<string, string> = {
      row_key: `statement-1/${i}`,
      name: nameOf(i),
      nationality: 'BY',
      status: 'detained',
      sentence_text: `${(i % 9) + 1} years of imprisonment`,
      sentence_term_months: String(((i % 9) + 1) * 12),
      source_id: sourceId,
      quote: `${nameOf(i)}, a citizen of Belarus, was sentenced to ${(i % 9) + 1} years of imprisonment and remains detained`,
    }
    const row = i + 2
    const fault = (column: string) => faults.push({ row, column })
    switch (i) {
      case 50: cells.nickname = 'Sasha'; fault('nickname'); break
      case 120: cells.quote = `${nameOf(i)}, a citizen of Atlantis, was sentenced`; fault('quote'); break
      case 230: cells.release_date = '2025-13-45'; fault('release_date'); break
      case 340: cells.nationality = 'Atlantis'; fault('nationality'); break
      // A value without a citation: no row quote, the name quoted on its own, the nationality not.
      case 450:
        delete cells.quote
        delete cells.status
        delete cells.sentence_text
        delete cells.sentence_term_months
        cells.name_quote = nameOf(i)
        fault('nationality_quote')
        break
      case 560: cells.sentence_source_id = randomUUID(); fault('sentence_source_id'); break
      case 670: cells.row_key = 'statement-1/3'; fault('row_key'); break
      case 780: cells.status = 'free'; fault('status'); break
      case 890: cells.sentence_term_months = 'five'; fault('sentence_term_months'); break
      case 990: cells.id = randomUUID(); fault('id'); break
    }
    rows.push(HEADER.map((column) => cells[column] ?? ''))
  }
  return { rows, faults }
}

/** RFC 4180 CSV, as the export writes it. */
export function csvOf(rows: string[][]): string {
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)
  return [HEADER, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}
