import { createServer, ServerResponse } from 'node:http'
import BetterSqlite3 from 'better-sqlite3'
import { Pool } from 'pg'
import { dialectOf, numberedParams } from '../src/db/dialect'
import { encodeCursor } from '../src/shared/cursor'
import { MatchingClaim, marks, matchingClaimsQuery, queryWords, rankPeople } from '../src/core/search/name-search'
import { MemoryProbe, ServerMessage } from './protocol'

/**
 * The raw baseline (DESIGN.md §6): a plain node:http server with hand-written SQL on the same database as the
 * app, answering the same reads as directly as possible: no framework, no validation, no problem details, no
 * caching headers beyond the stored ETag. Same SQL as the app (name search's from name-search.ts itself), so
 * the ratio app/baseline measures what the app adds around the database, not differences of queries.
 *
 * On a SQLite file: better-sqlite3 prepared statements, answered synchronously. On a postgres:// URL: the same
 * SQL through a pg Pool of 10 connections (as many as the app's read pool, src/db/postgres-store.ts), its `?`
 * marks numbered ($1, $2, …) by the app's own numberedParams. What differs between the engines' SQL:
 * - name search's join order and substring test (matchingClaimsQuery's dialect: CROSS JOIN and instr() on
 *   SQLite, JOIN and strpos() on PostgreSQL, src/db/dialect.ts);
 * - nothing else: these reads touch no boolean (SQLite's 0/1) column, and text compares by bytes on both
 *   (PostgreSQL's text columns were migrated to COLLATE "C"), so ORDER BY sort_name, id and the cursor's
 *   row comparison (sort_name, id) > (?, ?) give the same order and the same pages.
 */
const location = process.argv[2]
const VISIBLE = "p.review_status = 'published' AND p.deleted_at IS NULL"
const ONE = `SELECT p.document, p.etag FROM prisoners p WHERE p.id = ? AND ${VISIBLE}`
const FIRST_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE} ORDER BY p.sort_name, p.id LIMIT ?`
const NEXT_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE}
   AND (p.sort_name, p.id) > (?, ?) ORDER BY p.sort_name, p.id LIMIT ?`
const EMPTY = '{"data":[],"next":null}'

type Row = { id: string; document: string; position: string }
/** A SQLite answer is there at once; a PostgreSQL one comes later. */
type Answer<T> = T | Promise<T>

/** The reads, on one engine. */
interface Reads {
  one(id: string): Answer<{ document: string; etag: string } | undefined>
  firstPage(limit: number): Answer<Row[]>
  nextPage(position: string, id: string, limit: number): Answer<Row[]>
  search(q: string, limit: number): Answer<string>
}

function sqliteReads(file: string): Reads {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  const one = db.prepare(ONE)
  const firstPage = db.prepare(FIRST_PAGE)
  const nextPage = db.prepare(NEXT_PAGE)
  // Name search with the app's own SQL (src/core/search/name-search.ts): read the matching claims from
  // their pair key, rank, read only the page's documents.
  const prepared = new Map<string, BetterSqlite3.Statement>()
  const statement = (sql: string) => prepared.get(sql) ?? prepared.set(sql, db.prepare(sql)).get(sql)!
  return {
    one: (id) => one.get(id) as { document: string; etag: string } | undefined,
    firstPage: (limit) => firstPage.all(limit) as Row[],
    nextPage: (position, id, limit) => nextPage.all(position, id, limit) as Row[],
    search(q, limit) {
      const words = queryWords(q)
      if (words.length === 0) return EMPTY
      const matching = matchingClaimsQuery(q, words, { sql: [VISIBLE], params: [] }, 'sqlite')
      const page = rankPeople(statement(matching.sql).all(...matching.params) as MatchingClaim[]).slice(0, limit)
      if (page.length === 0) return EMPTY
      const documents = statement(`SELECT document FROM prisoners WHERE id IN (${marks(page)})`).pluck().all(...page.map((h) => h.id)) as string[]
      return `{"data":[${documents.join(',')}],"next":null}`
    },
  }
}

function postgresReads(url: string): Reads {
  const pool = new Pool({ connectionString: url, max: 10, application_name: 'registry-baseline' })
  pool.on('error', () => undefined)
  const all = async <T>(sql: string, params: unknown[]) => (await pool.query(numberedParams(sql), params)).rows as T[]
  return {
    one: async (id) => (await all<{ document: string; etag: string }>(ONE, [id]))[0],
    firstPage: (limit) => all<Row>(FIRST_PAGE, [limit]),
    nextPage: (position, id, limit) => all<Row>(NEXT_PAGE, [position, id, limit]),
    async search(q, limit) {
      const words = queryWords(q)
      if (words.length === 0) return EMPTY
      const matching = matchingClaimsQuery(q, words, { sql: [VISIBLE], params: [] }, 'postgres')
      const page = rankPeople(await all<MatchingClaim>(matching.sql, matching.params)).slice(0, limit)
      if (page.length === 0) return EMPTY
      const documents = await all<{ document: string }>(`SELECT document FROM prisoners WHERE id IN (${marks(page)})`, page.map((h) => h.id))
      return `{"data":[${documents.map((d) => d.document).join(',')}],"next":null}`
    },
  }
}

const reads = dialectOf(location) === 'postgres' ? postgresReads(location) : sqliteReads(location)

function send(res: ServerResponse, status: number, body: string, etag?: string) {
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }
  if (etag) headers.etag = etag
  res.writeHead(status, headers).end(body)
}

/** Goes on with a SQLite answer at once (as the SQLite-only baseline did), with a PostgreSQL one when it comes. */
function then<T>(answer: Answer<T>, res: ServerResponse, next: (value: T) => void): void {
  if (answer instanceof Promise) answer.then(next, () => send(res, 500, '{"status":500}'))
  else next(answer)
}

function page(rows: Row[], limit: number): string {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  const next = rows.length > limit ? encodeCursor(['name', last.position, last.id]) : null
  return `{"data":[${items.map((r) => r.document).join(',')}],"next":${JSON.stringify(next)}}`
}

const server = createServer((req, res) => {
  const url = req.url ?? '/'
  if (url.startsWith('/v1/prisoners/')) {
    return then(reads.one(url.slice('/v1/prisoners/'.length)), res, (row) => (row ? send(res, 200, row.document, row.etag) : send(res, 404, '{"status":404}')))
  }
  if (url.startsWith('/v1/prisoners?')) {
    const query = new URLSearchParams(url.slice('/v1/prisoners?'.length))
    const limit = Number(query.get('limit') ?? 50)
    const q = query.get('q')
    if (q !== null) return then(reads.search(q, limit), res, (body) => send(res, 200, body))
    const cursor = query.get('cursor')
    if (cursor) {
      const [, position, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, string]
      return then(reads.nextPage(position, id, limit + 1), res, (rows) => send(res, 200, page(rows, limit)))
    }
    return then(reads.firstPage(limit + 1), res, (rows) => send(res, 200, page(rows, limit)))
  }
  send(res, 404, '{"status":404}')
})

new MemoryProbe().listen()
process.on('SIGTERM', () => server.close(() => process.exit(0)))
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 } satisfies ServerMessage)
})
