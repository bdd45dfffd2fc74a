import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import supertest from 'supertest'
import t from 'tap'
import { buildApp } from '../../../src/app'
import { KeysService } from '../../../src/core/access/api-keys'
import { temporaryHistoryKey } from '../../../src/core/history/signing-key'
import { Database } from '../../../src/db/database'
import { seed } from '../../../src/seed/seed'
import { freshDatabase } from '../../helpers/test-database'

/**
 * docs/design.md §10: two instances on one database (SQLite file or PostgreSQL), writing at once, append to one chain
 * in commit order: no position twice or missing, every revision chained once, positions in the order revisions were
 * numbered (which is commit order), and the export verifies against a checkpoint either instance signed.
 */
t.test('two instances writing at once append every revision once, in commit order', async (t) => {
  const fresh = await freshDatabase()
  const first = await Database.open(fresh.location)
  await seed(first)
  const second = await Database.open(fresh.location)
  const key = temporaryHistoryKey()
  const apps = [await buildApp({ database: first, historyKey: key, writesPerMinute: 10_000 }), await buildApp({ database: second, historyKey: key, writesPerMinute: 10_000 })]
  t.teardown(async () => {
    for (const app of apps) await app.close()
    await second.close().catch(() => undefined)
    await fresh.remove()
  })
  for (const app of apps) await app.ready()
  const editorKey = (await new KeysService(first).create('Edgar Editor', 'editor', 'test')).key
  const as = (app: (typeof apps)[number]) => supertest(app.server)
  const write = async (app: (typeof apps)[number], n: number) => {
    const source = await as(app).post('/v1/sources').set('authorization', `Bearer ${editorKey}`).send({ title: `Report ${n}`, kind: 'news', content: `Person ${n} was detained in Homiel.` })
    const record = await as(app).post('/v1/prisoners').set('authorization', `Bearer ${editorKey}`).send({ status: { value: 'detained', citations: [{ sourceId: source.body.id, quote: `Person ${n} was detained` }] } })
    return record.status
  }
  const statuses = await Promise.all(Array.from({ length: 16 }, (_, n) => write(apps[n % 2], n)))
  t.same(statuses, Array(16).fill(201), 'every write taken, by either instance')

  const chain = await first.all<{ position: number; kind: string; ref: string }>('SELECT position, kind, ref FROM history_chain ORDER BY position')
  t.same(chain.map((row) => Number(row.position)), Array.from({ length: chain.length }, (_, i) => i + 1), 'positions 1 to n, none twice or missing')
  const counts = await first.get<{ n: number }>('SELECT (SELECT COUNT(*) FROM revisions) + (SELECT COUNT(*) FROM event_revisions) AS n')
  t.equal(chain.length, Number(counts!.n), 'every revision chained once')
  const records = chain.filter((row) => row.kind === 'record-revision').map((row) => Number(row.ref))
  t.same(records, [...records].sort((a, b) => a - b), "records' revisions in the chain in the order they were numbered: commit order")

  const checkpoint = await as(apps[1]).post('/v1/history/checkpoints').set('authorization', `Bearer ${editorKey}`)
  t.equal(checkpoint.status, 201)
  const dir = mkdtempSync(path.join(tmpdir(), 'history-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'export.ndjson'), (await as(apps[0]).get('/v1/history/export').buffer(true)).text)
  writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(checkpoint.body))
  const run = spawnSync(process.execPath, [path.resolve(__dirname, '../../../scripts/verify-history.mjs'), path.join(dir, 'export.ndjson'), '--checkpoint', path.join(dir, 'checkpoint.json')], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stdout + run.stderr)
})
