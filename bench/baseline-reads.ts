import BetterSqlite3 from 'better-sqlite3'
import { Pool } from 'pg'
import { numberedParams } from '../src/db/dialect'
import { encodeCursor } from '../src/shared/cursor'
import { MatchingClaim, marks, matchingClaimsQuery, queryWords, rankPeople } from '../src/core/search/name-search'

/**
 * The reads of the raw baselines (docs/design.md §6), answered as directly as possible: hand-written SQL on the
 * same database as the app (name search's from name-search.ts itself), the stored documents joined as text, no
 * validation, no problem details, no caching headers beyond the stored ETag. The ratio app/baseline measures what
 * the app adds around the database, not differences of queries. The servers around them (baseline-server.ts:
 * node:http, or a bare Fastify route) differ only in what carries the answer.
 *
 * SQLite: better-sqlite3 prepared statements on the file, read-only. PostgreSQL: the same SQL through a pg Pool
 * of 10 connections (as many as the app's read pool, src/db/postgres-store.ts), `?` numbered by the app's own
 * numberedParams, sent unnamed as the app's read store sends them. What differs between the two: name search's join
 * order and substring test (matchingClaimsQuery's dialect); text compares by bytes on both (PostgreSQL's text
 * columns were migrated to COLLATE "C"), so ORDER BY sort_name, id and the cursor's row comparison give the same pages.
 */

export interface Answer {
  status: number
  body: string
  etag?: string
}

export interface BaselineReads {
  /** The answer to a GET of this path and query, as the app would give it (body for body). */
  answer(url: string): Promise<Answer>
  close(): Promise<void>
}

const VISIBLE = "p.review_status = 'published' AND p.deleted_at IS NULL"
const ONE = `SELECT p.document, p.etag FROM prisoners p WHERE p.id = ? AND ${VISIBLE}`
const FIRST_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE} ORDER BY p.sort_name, p.id LIMIT ?`
const NEXT_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE}
   AND (p.sort_name, p.id) > (?, ?) ORDER BY p.sort_name, p.id LIMIT ?`
const EMPTY = '{"data":[],"next":null}'
const NOT_FOUND: Answer = { status: 404, body: '{"status":404}' }

type Row = { id: string; document: string; position: string }
/** Rows of a query; synchronous on SQLite (no promise to wait for), a promise on PostgreSQL. */
type All = <T>(sql: string, params: unknown[]) => T[] | Promise<T[]>

function page(rows: Row[], limit: number): string {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  const next = rows.length > limit ? encodeCursor(['name', last.position, last.id]) : null
  return `{"data":[${items.map((r) => r.document).join(',')}],"next":${JSON.stringify(next)}}`
}

function readsOn(all: All, dialect: 'sqlite' | 'postgres', close: () => Promise<void>): BaselineReads {
  async function search(q: string, limit: number): Promise<string> {
    const words = queryWords(q)
    if (words.length === 0) return EMPTY
    const matching = matchingClaimsQuery(q, words, { sql: [VISIBLE], params: [] }, dialect)
    const hits = rankPeople(await all<MatchingClaim>(matching.sql, matching.params)).slice(0, limit)
    if (hits.length === 0) return EMPTY
    const documents = await all<{ document: string }>(`SELECT document FROM prisoners WHERE id IN (${marks(hits)})`, hits.map((h) => h.id))
    return `{"data":[${documents.map((d) => d.document).join(',')}],"next":null}`
  }
  async function answer(url: string): Promise<Answer> {
    if (url.startsWith('/v1/prisoners/')) {
      const row = (await all<{ document: string; etag: string }>(ONE, [url.slice('/v1/prisoners/'.length)]))[0]
      return row ? { status: 200, body: row.document, etag: row.etag } : NOT_FOUND
    }
    if (!url.startsWith('/v1/prisoners?')) return NOT_FOUND
    const query = new URLSearchParams(url.slice('/v1/prisoners?'.length))
    const limit = Number(query.get('limit') ?? 50)
    const q = query.get('q')
    if (q !== null) return { status: 200, body: await search(q, limit) }
    const cursor = query.get('cursor')
    if (!cursor) return { status: 200, body: page(await all<Row>(FIRST_PAGE, [limit + 1]), limit) }
    const [, position, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, string]
    return { status: 200, body: page(await all<Row>(NEXT_PAGE, [position, id, limit + 1]), limit) }
  }
  return { answer, close }
}

/** The reads on a SQLite file or a PostgreSQL URL. */
export function baselineReads(location: string): BaselineReads {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const pool = new Pool({ connectionString: location, max: 10, application_name: 'registry-baseline' })
    pool.on('error', () => undefined)
    return readsOn(async <T>(sql: string, params: unknown[]) => (await pool.query(numberedParams(sql), params)).rows as T[], 'postgres', () => pool.end())
  }
  const db = new BetterSqlite3(location, { readonly: true, fileMustExist: true })
  const prepared = new Map<string, BetterSqlite3.Statement>()
  const statement = (sql: string) => prepared.get(sql) ?? prepared.set(sql, db.prepare(sql)).get(sql)!
  return readsOn(<T>(sql: string, params: unknown[]) => statement(sql).all(...params) as T[], 'sqlite', async () => void db.close())
}
