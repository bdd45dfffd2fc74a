import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app'
import { KeysService } from '../../src/core/access/api-keys'
import { AuditService } from '../../src/modules/audit/audit.service'
import { copySqliteToPostgres } from '../../src/db/copy-to-postgres'
import { Database } from '../../src/db/database'
import { seed } from '../../src/seed/seed'
import { SEED } from '../helpers/test-app'
import { freshDatabase } from '../helpers/test-database'

/**
 * The same data on SQLite and on PostgreSQL gives byte-identical answers: bodies, ETags, cursors, exports, the
 * audit. The seed is written once, on SQLite, and its rows copied as they are into PostgreSQL (src/db/copy-to-postgres.ts,
 * as npm run copy-to-postgres does), so that ids and timestamps are the same on both. Runs where TEST_DATABASE_URL names a PostgreSQL server (.ci/run, npm run
 * test:postgres).
 */
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

  const file = path.join(dir, 'registry.sqlite')
  const sqlite = await Database.open(file)
  await seed(sqlite)
  // As an organisation moves from its SQLite file to PostgreSQL (npm run copy-to-postgres).
  const copied = await copySqliteToPostgres(file, pg.location)
  t.ok(copied > 100, `${copied} rows copied`)
  await t.rejects(copySqliteToPostgres(file, pg.location), /holds records, sources or keys already/, 'never into a database that holds a registry')
  const postgres = await Database.open(pg.location)

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
