import { createServer, ServerResponse } from 'node:http'
import { Pool } from 'pg'
import { numberedParams } from '../src/db/dialect'
import { encodeCursor } from '../src/shared/cursor'
import { MatchingClaim, marks, matchingClaimsQuery, queryWords, rankPeople } from '../src/core/search/name-search'
import { MemoryProbe, ServerMessage } from './protocol'

/**
 * The raw baseline on PostgreSQL: baseline-server.ts (the SQLite one, left as it was so that its figures stay
 * comparable from run to run) answering the same reads with the same hand-written SQL, through a pg Pool of 10
 * connections on the database URL given (as many as the app's read pool, src/db/postgres-store.ts). The `?`
 * marks are numbered ($1, $2, …) by the app's own numberedParams. What differs from the SQLite SQL:
 * - name search's join order and substring test (matchingClaimsQuery's dialect: CROSS JOIN and instr() on
 *   SQLite, JOIN and strpos() on PostgreSQL, src/db/dialect.ts);
 * - nothing else: these reads touch no boolean (SQLite's 0/1) column, and text compares by bytes on both
 *   (PostgreSQL's text columns were migrated to COLLATE "C"), so ORDER BY sort_name, id and the cursor's row
 *   comparison (sort_name, id) > (?, ?) give the same order and the same pages.
 * Queries are sent unnamed (parsed each time), as the app's read store sends them.
 */
const pool = new Pool({ connectionString: process.argv[2], max: 10, application_name: 'registry-baseline' })
pool.on('error', () => undefined)
const all = async <T>(sql: string, params: unknown[]) => (await pool.query(numberedParams(sql), params)).rows as T[]

const VISIBLE = "p.review_status = 'published' AND p.deleted_at IS NULL"
const ONE = `SELECT p.document, p.etag FROM prisoners p WHERE p.id = ? AND ${VISIBLE}`
const FIRST_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE} ORDER BY p.sort_name, p.id LIMIT ?`
const NEXT_PAGE = `SELECT p.id, p.document, p.sort_name AS position FROM prisoners p WHERE ${VISIBLE}
   AND (p.sort_name, p.id) > (?, ?) ORDER BY p.sort_name, p.id LIMIT ?`
const EMPTY = '{"data":[],"next":null}'

// Name search with the app's own SQL (src/core/search/name-search.ts): read the matching claims from their pair
// key, rank, read only the page's documents.
async function search(q: string, limit: number): Promise<string> {
  const words = queryWords(q)
  if (words.length === 0) return EMPTY
  const matching = matchingClaimsQuery(q, words, { sql: [VISIBLE], params: [] }, 'postgres')
  const page = rankPeople(await all<MatchingClaim>(matching.sql, matching.params)).slice(0, limit)
  if (page.length === 0) return EMPTY
  const documents = await all<{ document: string }>(`SELECT document FROM prisoners WHERE id IN (${marks(page)})`, page.map((h) => h.id))
  return `{"data":[${documents.map((d) => d.document).join(',')}],"next":null}`
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

async function answer(url: string, res: ServerResponse): Promise<void> {
  if (url.startsWith('/v1/prisoners/')) {
    const row = (await all<{ document: string; etag: string }>(ONE, [url.slice('/v1/prisoners/'.length)]))[0]
    return row ? send(res, 200, row.document, row.etag) : send(res, 404, '{"status":404}')
  }
  if (url.startsWith('/v1/prisoners?')) {
    const query = new URLSearchParams(url.slice('/v1/prisoners?'.length))
    const limit = Number(query.get('limit') ?? 50)
    const q = query.get('q')
    if (q !== null) return send(res, 200, await search(q, limit))
    const cursor = query.get('cursor')
    if (cursor) {
      const [, position, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string, string]
      return send(res, 200, page(await all<Row>(NEXT_PAGE, [position, id, limit + 1]), limit))
    }
    return send(res, 200, page(await all<Row>(FIRST_PAGE, [limit + 1]), limit))
  }
  send(res, 404, '{"status":404}')
}

const server = createServer((req, res) => {
  answer(req.url ?? '/', res).catch(() => send(res, 500, '{"status":500}'))
})

new MemoryProbe().listen()
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))))
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send!({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 } satisfies ServerMessage)
})
