import { createServer, ServerResponse } from 'node:http'
import BetterSqlite3 from 'better-sqlite3'
import { encodeCursor } from '../src/shared/cursor'
import { MatchingClaim, marks, matchingClaimsQuery, queryWords, rankPeople } from '../src/core/search/name-search'
import { MemoryProbe, ServerMessage } from './protocol'

/**
 * The raw baseline (docs/design.md §6): a plain node:http server with hand-written better-sqlite3 prepared
 * statements on the same database file, answering the same reads as directly as possible: no framework,
 * no validation, no problem details, no caching headers beyond the stored ETag. Same SQL as the app
 * (name search's from name-search.ts itself), so the ratio app/baseline measures what the
 * app adds around the database, not differences of queries.
 */
const file = process.argv[2]
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
const VISIBLE = "p.review_status = 'published' AND p.deleted_at IS NULL"

const one = db.prepare(`SELECT p.document, p.etag FROM prisoners p WHERE p.id = ? AND ${VISIBLE}`)
const firstPage = db.prepare(
  `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE} ORDER BY p.sort_name, p.id LIMIT ?`,
)
const nextPage = db.prepare(
  `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE}
   AND (p.sort_name, p.id) > (?, ?) ORDER BY p.sort_name, p.id LIMIT ?`,
)
// Name search with the app's own SQL (src/modules/prisoners/name-search.ts): read the matching claims from
// their pair key, rank, read only the page's documents.
const prepared = new Map<string, BetterSqlite3.Statement>()
const statement = (sql: string) => prepared.get(sql) ?? prepared.set(sql, db.prepare(sql)).get(sql)!

function search(q: string, limit: number): string {
  const words = queryWords(q)
  if (words.length === 0) return '{"data":[],"next":null}'
  const matching = matchingClaimsQuery(q, words, { sql: [VISIBLE], params: [] }, 'sqlite')
  const page = rankPeople(statement(matching.sql).all(...matching.params) as MatchingClaim[]).slice(0, limit)
  if (page.length === 0) return '{"data":[],"next":null}'
  const documents = statement(`SELECT document FROM prisoners WHERE id IN (${marks(page)})`).pluck().all(...page.map((h) => h.id)) as string[]
  return `{"data":[${documents.join(',')}],"next":null}`
}

type Row = { id: string; document: string; position: string }

function send(res: ServerResponse, status: number, body: string, etag?: string) {
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }
  if (etag) headers.etag = etag
  res.writeHead(status, headers).end(body)
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
    const row = one.get(url.slice('/v1/prisoners/'.length)) as { document: string; etag: string } | undefined
    return row ? send(res, 200, row.document, row.etag) : send(res, 404, '{"status":404}')
  }
  if (url.startsWith('/v1/prisoners?')) {
    const query = new URLSearchParams(url.slice('/v1/prisoners?'.length))
    const limit = Number(query.get('limit') ?? 50)
    const q = query.get('q')
    if (q !== null) return send(res, 200, search(q, limit))
    const cursor = query.get('cursor')
    if (cursor) {
      const [, position, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, string]
      return send(res, 200, page(nextPage.all(position, id, limit + 1) as Row[], limit))
    }
    return send(res, 200, page(firstPage.all(limit + 1) as Row[], limit))
  }
  send(res, 404, '{"status":404}')
})

new MemoryProbe().listen()
process.on('SIGTERM', () => server.close(() => process.exit(0)))
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 } satisfies ServerMessage)
})
