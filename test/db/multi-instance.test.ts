import t from 'tap'
import { KeysService } from '../../src/core/access/api-keys'
import { Database } from '../../src/db/database'
import { SEED } from '../helpers/test-app'
import { buildServer, startServer, stopAll } from '../helpers/server-process'
import { freshDatabase, testEngine } from '../helpers/test-database'

/**
 * Two API processes on one database, as an organisation runs them behind a reverse proxy: on PostgreSQL
 * (TEST_DATABASE_URL) or on one SQLite file. Real processes of the built server (dist/), not two apps in
 * this process, so that nothing is shared but the database.
 */
// Two statuses to alternate between, so that every winning PATCH changes the record (sending back what it
// already says is no change, and keeps its ETag).
const STATUSES = [
  { value: 'detained', citations: [{ sourceId: SEED.articleA, quote: 'more than 1,000 individuals are currently imprisoned' }] },
  { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
]

t.test(`two instances on one ${testEngine() === 'postgres' ? 'PostgreSQL database' : 'SQLite file'}: racing PATCHes, and a process killed mid-write`, async (t) => {
  buildServer()
  const fresh = await freshDatabase()
  t.teardown(async () => {
    await stopAll()
    await fresh.remove()
  })

  // Started together: one migrates and seeds, the other waits for it (never two seeds).
  const [a, b] = await Promise.all([startServer(fresh.location), startServer(fresh.location)])
  const database = await Database.open(fresh.location)
  const editorKey = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
  await database.close()
  const editor = { authorization: `Bearer ${editorKey}`, 'content-type': 'application/json' }
  const list = (await (await fetch(`${b.base}/v1/prisoners?limit=100`)).json()) as { data: unknown[] }
  t.equal(list.data.length, 14, 'seeded once: 14 records, read through the other instance')

  // 10 pairs of PATCHes with the same If-Match, one to each instance, at the same time.
  const statuses: number[] = []
  for (let pair = 0; pair < 10; pair++) {
    const etag = (await fetch(`${a.base}/v1/prisoners/${SEED.karnei}`)).headers.get('etag')!
    const body = JSON.stringify({ status: STATUSES[pair % 2], comment: `race ${pair}` })
    const answers = await Promise.all(
      [a, b].map((instance) => fetch(`${instance.base}/v1/prisoners/${SEED.karnei}`, { method: 'PATCH', headers: { ...editor, 'if-match': etag }, body })),
    )
    statuses.push(...answers.map((answer) => answer.status).sort())
  }
  t.same(
    statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {}),
    { 200: 10, 412: 10 },
    'each pair: one 200 and one 412, never a 500',
  )
  const history = (await (await fetch(`${b.base}/v1/prisoners/${SEED.karnei}/history`)).json()) as { data: { version: number }[] }
  t.same(
    history.data.map((revision) => revision.version),
    Array.from({ length: 11 }, (_, i) => 11 - i),
    'the record has one revision per 200, numbered without a gap',
  )

  // Writes to A while it is killed: every write it acknowledged (201) is there, read through B.
  const acknowledged: string[] = []
  let refused = 0
  let firstAcknowledged: () => void
  const oneAcknowledged = new Promise<void>((resolve) => (firstAcknowledged = resolve))
  const writes = Array.from({ length: 40 }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, i * 5))
    try {
      const answer = await fetch(`${a.base}/v1/prisoners`, {
        method: 'POST',
        headers: editor,
        body: JSON.stringify({ name: { value: `Kill Test ${i}`, citations: [{ sourceId: SEED.articleA, quote: 'Halina Krasnianskaya' }] } }),
      })
      if (answer.status === 201) {
        acknowledged.push(((await answer.json()) as { id: string }).id)
        firstAcknowledged()
      }
    } catch {
      refused++ // the connection died with the process: not acknowledged
    }
  })
  // Killed once it has acknowledged a write, with the others still on their way (not after a fixed time, which a
  // busy machine can spend before answering any).
  await oneAcknowledged
  a.process.kill('SIGKILL')
  await Promise.all(writes)
  t.ok(acknowledged.length > 0 && refused > 0, `killed mid-run: ${acknowledged.length} acknowledged, ${refused} cut off`)
  for (const id of acknowledged) {
    const read = await fetch(`${b.base}/v1/prisoners/${id}`)
    if (read.status !== 200) t.fail(`acknowledged record ${id} is missing: ${read.status}`)
  }
  t.pass(`all ${acknowledged.length} acknowledged records are there`)
  const changes = (await (await fetch(`${b.base}/v1/changes?limit=1000`)).json()) as { data: { seq: number }[] }
  const seqs = changes.data.map((change) => change.seq)
  t.same(seqs, [...seqs].sort((x, y) => x - y), 'the change feed is in commit order')
  t.ok((await fetch(`${b.base}/health`)).ok, 'the other instance is healthy')
})
