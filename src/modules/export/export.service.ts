import { Readable } from 'node:stream'
import { PUBLISHED_RECORDS } from '../../core/access/access'
import { Database } from '../../db/database'
import type { PrisonerDocument } from '../../core/record/fields'
import { CSV_BOM, csvHeaderLine, csvRecordLine } from './csv-record'
import { ExportFormat } from './export.dto'
import { EventsRepository, serialiseEvent } from '../events/events.repository'
import { csvEventHeaderLine, csvEventLine } from './csv-event'

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
}

// The public registry (core/access), in id order (the primary key's index: no sort, no temporary table).
const RECORDS = `SELECT p.document FROM prisoners p WHERE ${PUBLISHED_RECORDS.sql} ORDER BY p.id`

// Rows are gathered into chunks of about this many characters: one socket write per chunk, not per row.
const CHUNK_CHARS = 64 * 1024

/**
 * The export as text chunks, read row by row from one snapshot of the database. Memory stays constant
 * whatever the number of records: one row and one chunk at a time, pulled only as fast as the client
 * reads (the stream built from this waits while the socket is full).
 */
export async function* exportChunks(db: Database, format: ExportFormat): AsyncGenerator<string, void, undefined> {
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

/** A byte stream with backpressure; destroying it (client gone) ends the iteration and frees its connection. */
export function exportStream(db: Database, format: ExportFormat, subject: ExportSubject = 'prisoners'): Readable {
  return Readable.from(subject === 'events' ? eventExportChunks(db, format) : exportChunks(db, format), { objectMode: false })
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
export async function* eventExportChunks(db: Database, format: ExportFormat): AsyncGenerator<string, void, undefined> {
  const events = await db.snapshot((reads) => new EventsRepository(reads).published())
  let chunk = format === 'csv' ? CSV_BOM + csvEventHeaderLine() : ''
  for (const event of events) {
    chunk += format === 'csv' ? csvEventLine(event) : `${serialiseEvent(event)}\n`
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}
