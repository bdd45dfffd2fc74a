import { createHash } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { Actor } from '../access/actors'
import { Reads } from '../../db/read-store'
import { numberedParams } from '../../db/dialect'
import { ProblemError } from '../../errors'
import { sha256Hex } from '../../shared/hash'
import { newId } from '../../shared/ids'
import { decodePage } from './charset'
import { CaptureSettings, FetchedPage, fetchPage } from './fetch-page'
import { ReadablePage, plainText, readablePage } from './readable-text'
import { warcOf } from './warc'

/**
 * Capturing a source from its address (docs/design.md §3.4): fetch it safely (fetch-page.ts), keep the exchange
 * as WARC (warc.ts), read its article (readable-text.ts). The fetch is made before the write's transaction,
 * never inside it (a slow server must not hold the database's writer); `recordCapture` then stores it in the
 * transaction that writes the source.
 */

/** The most text a source holds (CreateSourceDto's `content`), in code points. */
export const MAX_TEXT_LENGTH = 1_000_000

export interface Capture {
  page: FetchedPage
  readable: ReadablePage
  warc: Buffer
  warcSha256: string
  textSha256: string
  capturedAt: string
}

const SOFTWARE = 'political-prisoners-registry (warcio.js)'

/** Fetches and reads `url`; every refusal names `field`, the request's address field. */
export async function capture(url: string, settings: CaptureSettings, field: string): Promise<Capture> {
  const page = await fetchPage(url, settings, field)
  const refuse = (why: string) =>
    new ProblemError('address-refused', `${url} cannot be captured: the page ${why}.`, [{ path: field, message: `url serves a page that ${why}` }])
  const isHtml = page.mediaType !== 'text/plain'
  const { text } = decodePage(page.decoded, page.contentType, isHtml)
  const readable = isHtml ? readablePage(text, refuse) : plainText(text)
  if (!/[\p{L}\p{N}]/u.test(readable.text)) throw refuse('holds no readable text')
  if ([...readable.text].length > MAX_TEXT_LENGTH) throw refuse(`holds more than ${MAX_TEXT_LENGTH.toLocaleString('en')} characters of text, more than a source may`)
  const warc = await warcOf(page, SOFTWARE)
  return {
    page,
    readable,
    warc,
    warcSha256: createHash('sha256').update(warc).digest('hex'),
    textSha256: sha256Hex(readable.text),
    capturedAt: page.exchanges[page.exchanges.length - 1].at,
  }
}

/**
 * The one place a capture row is written (inside the caller's transaction), so that whatever else must follow a
 * capture (a history chain's entry) is added here once. Raw SQL rather than an entity: the WARC is bytes (blob on
 * SQLite, bytea on PostgreSQL), a column type no TypeORM entity declares for both engines.
 */
export async function recordCapture(manager: EntityManager, sourceId: string, taken: Capture, actor: Actor): Promise<CaptureRow> {
  const row: CaptureRow = {
    id: newId(),
    sourceId,
    requestedUrl: taken.page.requestedUrl,
    finalUrl: taken.page.finalUrl,
    status: taken.page.status,
    contentType: taken.page.contentType?.slice(0, 200) ?? null,
    capturedAt: taken.capturedAt,
    warcSha256: taken.warcSha256,
    warcSize: taken.warc.length,
    textSha256: taken.textSha256,
    createdBy: actor.name,
    createdByKey: actor.key,
    createdByRole: actor.role,
  }
  const sql = `INSERT INTO source_captures (id, source_id, requested_url, final_url, status, content_type, captured_at, warc, warc_sha256,
    warc_size, text, text_sha256, created_by, created_by_key, created_by_role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  await manager.query(manager.connection.options.type === 'postgres' ? numberedParams(sql) : sql, [
    row.id,
    row.sourceId,
    row.requestedUrl,
    row.finalUrl,
    row.status,
    row.contentType,
    row.capturedAt,
    taken.warc,
    row.warcSha256,
    row.warcSize,
    taken.readable.text,
    row.textSha256,
    row.createdBy,
    row.createdByKey,
    row.createdByRole,
  ])
  return row
}

/** What reads show of a capture, to whoever reads its source. */
export interface CaptureRow {
  id: string
  sourceId: string
  requestedUrl: string
  finalUrl: string
  status: number
  contentType: string | null
  capturedAt: string
  warcSha256: string
  warcSize: number
  textSha256: string
  createdBy: string
  createdByKey: string | null
  createdByRole: string | null
}

const COLUMNS = `id, source_id AS "sourceId", requested_url AS "requestedUrl", final_url AS "finalUrl", status, content_type AS "contentType",
  captured_at AS "capturedAt", warc_sha256 AS "warcSha256", warc_size AS "warcSize", text_sha256 AS "textSha256",
  created_by AS "createdBy", created_by_key AS "createdByKey", created_by_role AS "createdByRole"`

/** The captures of each source, oldest first (the caller has already decided the sources are readable). */
export async function capturesOf(db: Reads, sourceIds: readonly string[]): Promise<Map<string, CaptureRow[]>> {
  const captures = new Map<string, CaptureRow[]>()
  if (sourceIds.length === 0) return captures
  const rows = await db.all<CaptureRow>(
    `SELECT ${COLUMNS} FROM source_captures WHERE source_id IN (${sourceIds.map(() => '?').join(',')}) ORDER BY source_id, captured_at, id`,
    [...sourceIds],
  )
  for (const row of rows) {
    const list = captures.get(row.sourceId) ?? []
    list.push({ ...row, status: Number(row.status), warcSize: Number(row.warcSize) })
    captures.set(row.sourceId, list)
  }
  return captures
}

/** Every capture of a source as one WARC file, oldest first; null when it has none. */
export async function warcFileOf(db: Reads, sourceId: string): Promise<Buffer | null> {
  const rows = await db.all<{ warc: Buffer | Uint8Array }>('SELECT warc FROM source_captures WHERE source_id = ? ORDER BY captured_at, id', [sourceId])
  return rows.length === 0 ? null : Buffer.concat(rows.map((row) => Buffer.from(row.warc)))
}
