import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app'
import { KeysService } from '../../src/core/access/api-keys'
import { AuditService } from '../../src/modules/audit/audit.service'
import { Database } from '../../src/db/database'
import { seed } from '../../src/seed/seed'
import { SEED } from '../helpers/test-app'
import { freshDatabase } from '../helpers/test-database'

/**
 * The same data on SQLite and on PostgreSQL gives byte-identical answers: bodies, ETags, cursors, exports, the
 * audit. The seed is written once, on SQLite, and its rows copied as they are into PostgreSQL, so that ids and
 * timestamps are the same on both. Runs where TEST_DATABASE_URL names a PostgreSQL server (.ci/run, npm run
 * test:postgres).
 */
const TABLES = ['sources', 'prisoners', 'claims', 'citations', 'revisions', 'name_keys', 'proposals', 'api_keys', 'derived_versions', 'rate_limits']

const READS = [
  '/v1/prisoners',
  '/v1/prisoners?limit=3',
  '/v1/prisoners?sort=-releaseDate&limit=4',
  '/v1/prisoners?sort=name&limit=5',
  '/v1/prisoners?nationality=BY',
  '/v1/prisoners?q=Tsikhanouski',
  '/v1/prisoners?q=Ціханоўскі',
  '/v1/prisoners?q=Тихановский',
  '/v1/prisoners?q=Siarhei%20Cichanouski',
  '/v1/prisoners?q=Karnei',
  '/v1/prisoners?q=Карней',
  '/v1/prisoners?q=Ihar',
  `/v1/prisoners/${SEED.karnei}`,
  `/v1/prisoners/${SEED.tsikhanouski}/history`,
  `/v1/prisoners/${SEED.karnei}/fields/name`,
  '/v1/sources',
  `/v1/sources/${SEED.articleB}`,
  `/v1/sources/${SEED.articleB}/citations`,
  `/v1/sources/${SEED.articleB}/passages?text=freed`,
  '/v1/changes',
  '/v1/changes?limit=5',
  '/v1/export?format=csv',
  '/v1/export?format=ndjson',
  '/v1/audit/coverage',
]

t.test('SQLite and PostgreSQL answer the same data byte for byte', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set (npm run test:postgres runs it)' }, async (t) => {
  // freshDatabase gives the PostgreSQL one; the SQLite file is made here.
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-engines-'))
  const pg = await freshDatabase()
  t.teardown(async () => {
    rmSync(dir, { recursive: true, force: true })
    await pg.remove()
  })

  const sqlite = await Database.open(path.join(dir, 'registry.sqlite'))
  await seed(sqlite)
  const postgres = await Database.open(pg.location)
  await postgres.transaction(async (manager) => {
    await manager.query('DELETE FROM derived_versions')
    for (const table of TABLES) {
      const rows = await sqlite.all<Record<string, unknown>>(`SELECT * FROM ${table}`)
      for (const row of rows) {
        const columns = Object.keys(row)
        // SQLite keeps booleans as 0 and 1.
        const values = columns.map((column) => (table === 'revisions' && column === 'public' ? row[column] === 1 : row[column]))
        await manager.query(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, values)
      }
    }
    // The serial of the revisions goes on after the copied ids, as SQLite's autoincrement does.
    await manager.query("SELECT setval(pg_get_serial_sequence('revisions', 'id'), (SELECT MAX(id) FROM revisions))")
  })

  const apps = { sqlite: await buildApp({ database: sqlite }), postgres: await buildApp({ database: postgres }) }
  t.teardown(async () => {
    await apps.sqlite.close()
    await apps.postgres.close()
  })
  const urls = [...READS]
  // Every cursor a page hands out is followed on both, so paging agrees too.
  for (let i = 0; i < urls.length; i++) {
    const url = urls[i]
    const [a, b] = await Promise.all([apps.sqlite.inject(url), apps.postgres.inject(url)])
    t.equal(a.statusCode, 200, `${url}: 200 on SQLite`)
    t.equal(b.body, a.body, `${url}: the same body`)
    t.equal(b.headers.etag, a.headers.etag, `${url}: the same ETag`)
    const next = /"next":"([^"]+)"/.exec(a.body)?.[1]
    // The change feed's `next` is where to poll from (since=); a list's, the next page (cursor=).
    const param = url.startsWith('/v1/changes') ? 'since' : 'cursor'
    if (next && urls.length < 80) urls.push(`${url.split('?')[0]}?${new URLSearchParams({ ...Object.fromEntries(new URL(url, 'http://x').searchParams), [param]: next })}`)
  }

  // The audit checks every citation on both, and finds the same.
  const [verifyA, verifyB] = await Promise.all([sqlite, postgres].map((database) => new AuditService(database).verify()))
  const { checkedAt: _a, ...reportA } = verifyA
  const { checkedAt: _b, ...reportB } = verifyB
  t.same(reportB, reportA, 'audit verify: the same report')
  t.ok(reportB.ok && reportB.citations.checked > 0 && reportB.citations.checked === reportB.citations.total - reportB.citations.unverifiable, `audit verify on PostgreSQL: ok, ${reportB.citations.checked} citations checked`)

  // A quote that is not in its source is refused on both.
  for (const [engine, database] of [['SQLite', sqlite], ['PostgreSQL', postgres]] as const) {
    const editor = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
    const app = engine === 'SQLite' ? apps.sqlite : apps.postgres
    const res = await app.inject({
      method: 'POST',
      url: '/v1/prisoners',
      headers: { authorization: `Bearer ${editor}` },
      payload: { name: { value: 'Nobody', citations: [{ sourceId: SEED.articleB, quote: 'words that are not in the article' }] } },
    })
    t.equal(res.statusCode, 422, `${engine}: a quote not in its source is refused`)
    t.equal(res.json().type, '/problems/quote-not-found', `${engine}: quote-not-found`)
  }
})
