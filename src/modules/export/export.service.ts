import { Readable } from 'node:stream'
import { PUBLISHED_RECORDS, maskColumns } from '../../core/access/access'
import { Database } from '../../db/database'
import type { PrisonerDocument } from '../../core/document/fields'
import { CSV_BOM, csvHeaderLine, csvRecordLine } from './csv-record'
import { ExportFormat } from './export.dto'
import { EventsRepository } from '../../core/record/event-reads'
import { EventDocument, serialiseEvent } from '../../core/document/event-document'
import { csvEventHeaderLine, csvEventLine } from './csv-event'
import { maskOfStored } from '../../core/access/public-view'
import { GRAPH_END, GRAPH_START, JSON_LD_TYPE, allPublicSources, eventNode, personNode } from '../../core/linked-data/linked-data'

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  jsonld: JSON_LD_TYPE,
}

// The public registry (core/access), in id order (the primary key's index: no sort, no temporary table).
const RECORDS = `SELECT p.document FROM prisoners p WHERE ${PUBLISHED_RECORDS.sql} ORDER BY p.id`
// The JSON-LD export also masks withheld words in source titles, as a record's linked data does (core/access).
const RECORDS_WITH_MASKS = `SELECT p.document, ${maskColumns('p')}
  FROM prisoners p WHERE ${PUBLISHED_RECORDS.sql} ORDER BY p.id`

// Rows are gathered into chunks of about this many characters: one socket write per chunk, not per row.
const CHUNK_CHARS = 64 * 1024

/**
 * The export as text chunks, read row by row from one snapshot of the database. Memory stays constant
 * whatever the number of records: one row and one chunk at a time, pulled only as fast as the client
 * reads (the stream built from this waits while the socket is full).
 */
export async function* exportChunks(db: Database, format: ExportFormat, base = ''): AsyncGenerator<string, void, undefined> {
  if (format === 'jsonld') return yield* linkedDataChunks(db, base)
  let chunk = format === 'csv' ? CSV_BOM + csvHeaderLine() : ''
  for await (const { document } of db.iterate<{ document: string }>(RECORDS)) {
    // The stored document is already the JSON that reads return, on one line.
    chunk += format === 'csv' ? csvRecordLine(JSON.parse(document) as PrisonerDocument) : `${document}\n`
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}

/** The records as one JSON-LD document, streamed as the other formats are: `@graph` holds one Person per record. */
async function* linkedDataChunks(db: Database, base: string): AsyncGenerator<string, void, undefined> {
  const sources = await allPublicSources(db)
  let chunk = GRAPH_START
  let first = true
  for await (const row of db.iterate<{ document: string; withheld: string | null; editorDocument: string | null }>(RECORDS_WITH_MASKS)) {
    const node = personNode(JSON.parse(row.document) as PrisonerDocument, sources, { base, mask: maskOfStored(row) })
    chunk += (first ? '' : ',') + JSON.stringify(node)
    first = false
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  yield chunk + GRAPH_END
}

/**
 * A byte stream with backpressure; destroying it (client gone) ends the iteration and frees its connection.
 * `base` is the API's absolute URL, which names the nodes of the JSON-LD export.
 */
export function exportStream(db: Database, format: ExportFormat, subject: ExportSubject = 'prisoners', base = ''): Readable {
  return Readable.from(subject === 'events' ? eventExportChunks(db, format, base) : exportChunks(db, format, base), { objectMode: false })
}

/** What an export holds: the records, or the events. */
export type ExportSubject = 'prisoners' | 'events'

export function exportFilename(format: ExportFormat, at = new Date(), subject: ExportSubject = 'prisoners'): string {
  return `${subject}-${at.toISOString().slice(0, 10)}.${format}`
}

/**
 * The events export: every published event as `GET /v1/events/{id}` answers it to the public, read from one
 * snapshot. Events are few beside records (one per release, transfer, trial…), so they are read whole and then
 * written out in chunks.
 */
export async function* eventExportChunks(db: Database, format: ExportFormat, base = ''): AsyncGenerator<string, void, undefined> {
  const events = await db.snapshot((reads) => new EventsRepository(reads).published())
  const sources = format === 'jsonld' ? await allPublicSources(db) : new Map()
  const line = (event: EventDocument, index: number) =>
    format === 'csv' ? csvEventLine(event) : format === 'ndjson' ? `${serialiseEvent(event)}\n` : (index ? ',' : '') + JSON.stringify(eventNode(event, sources, { base }))
  let chunk = format === 'csv' ? CSV_BOM + csvEventHeaderLine() : format === 'jsonld' ? GRAPH_START : ''
  for (const [index, event] of events.entries()) {
    chunk += line(event, index)
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (format === 'jsonld') chunk += GRAPH_END
  if (chunk) yield chunk
}
