import t, { type Test } from 'tap'
import supertest from 'supertest'
import { buildApp } from '../../src/app'
import { KeysService } from '../../src/core/access/api-keys'
import { Database } from '../../src/db/database'
import { withPgClient } from '../../src/db/pg-client'
import { scratchDatabase } from '../../src/db/scratch-database'
import type { StorageTimeouts } from '../../src/db/timeouts'
import { seed } from '../../src/seed/seed'
import { SEED } from '../helpers/test-app'
import { type ThrowawayPostgres, postgresInstalled, startThrowawayPostgres } from '../helpers/throwaway-postgres'
import { testEngine } from '../helpers/test-database'

/**
 * PostgreSQL failing under a serving app, on a server of the test's own (never the shared one of TEST_DATABASE_URL):
 * frozen (SIGSTOP: it accepts connections and answers nothing), stopped and started again, read-only (start-up:
 * postgres-start-up.test.ts). Every request is answered, 503 with Retry-After and never 500, within the configured timeouts (small
 * here), and the app serves again once the server is back, without a restart.
 */
/** Options of a test that needs PostgreSQL's programs (a fresh object each time: tap writes into it). */
const onPostgres = () => (testEngine() === 'postgres' && postgresInstalled() ? {} : { skip: 'PostgreSQL only, with its server programs installed (npm run test:postgres)' })

/** Short, so that the test does not wait long; the defaults are seconds (src/db/timeouts.ts). */
const TIMEOUTS: StorageTimeouts = { connectMs: 1_000, statementMs: 1_000, lockMs: 1_000 }
/** A request still unanswered after this is hanging (a stalled server is waited for without end): a failure. */
const HANG_MS = 30_000

const record = (n: number) => ({
  status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
  comment: `write ${n}`,
})

/** How a request ended, or 'still running' when it had not after HANG_MS. */
async function ended<T>(request: PromiseLike<T>): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), HANG_MS)))
  try {
    return await Promise.race([request, hang])
  } finally {
    clearTimeout(timer)
  }
}

/** One server for the file's tests, each on a database of its own: started once (initdb takes seconds). */
let shared: ThrowawayPostgres | undefined
t.teardown(() => shared?.remove())

/** A seeded registry on the throwaway server, the app serving it in this process, and an editor key. */
async function serving(t: Test, options: { readOnlyAfterSeed?: boolean } = {}) {
  shared ??= startThrowawayPostgres()
  const cluster = shared
  const scratch = await scratchDatabase(cluster.url, 'registry_faults')
  const seeded = await Database.open(scratch.location)
  await seed(seeded)
  const { key } = await new KeysService(seeded).create('Edgar Editor', 'editor', 'test')
  await seeded.close()
  if (options.readOnlyAfterSeed) {
    const name = new URL(scratch.location).pathname.slice(1)
    await withPgClient(cluster.url, (client) => client.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`))
  }
  const database = await Database.open(scratch.location, TIMEOUTS)
  const app = await buildApp({ database, writesPerMinute: 100_000 })
  await app.ready()
  t.teardown(async () => {
    cluster.thaw()
    await app.close()
    await scratch.remove()
  })
  const http = supertest(app.server)
  const write = (n: number) => http.post('/v1/prisoners').set('authorization', `Bearer ${key}`).send(record(n))
  return { cluster, http, write }
}

type Answer = supertest.Response | 'still running'

/** The 503 a client can act on: answered, problem+json, with Retry-After. */
function isUnavailable(t: Test, answer: Answer, what: string) {
  t.not(answer, 'still running', `${what}: answered while the server is down`)
  if (answer === 'still running') return
  t.equal(answer.status, 503, `${what}: 503`, { body: answer.body })
  t.equal(answer.body.type, '/problems/unavailable', what)
  // The health checks tell a load balancer, which polls anyway; a client is told when to send its request again.
  if (!what.startsWith('/health')) t.ok(Number(answer.headers['retry-after']) > 0, `${what}: with Retry-After`)
}

/** Everything works again: a read, a write, /health. */
async function serves(t: Test, { http, write }: { http: supertest.Agent | ReturnType<typeof supertest>; write: (n: number) => supertest.Test }, n: number) {
  t.equal((await http.get(`/v1/prisoners/${SEED.karnei}`)).status, 200, 'reads again, without a restart')
  const saved = await write(n)
  t.equal(saved.status, 201, 'writes again, without a restart', { body: saved.body })
  t.equal((await http.get(`/v1/prisoners/${saved.body.id}`)).status, 200, 'and what it acknowledged reads back')
  t.equal((await http.get('/health')).status, 200, '/health is 200 again')
}

t.test('PostgreSQL frozen (SIGSTOP) under the app: reads, writes and health checks answer 503 in time; thawed, it serves again', onPostgres(), async (t) => {
  const server = await serving(t)
  const { cluster, http, write } = server
  t.equal((await write(0)).status, 201, 'a write before the fault')
  cluster.freeze()
  isUnavailable(t, await ended(http.get(`/v1/prisoners/${SEED.karnei}`)), 'a read of one record')
  isUnavailable(t, await ended(http.get('/v1/prisoners?limit=5')), 'a list')
  isUnavailable(t, await ended(write(1)), 'a write')
  isUnavailable(t, await ended(http.get('/health/ready')), '/health/ready')
  isUnavailable(t, await ended(http.get('/health')), '/health')
  cluster.thaw()
  await serves(t, server, 2)
})

t.test('the connection a write uses stops answering: the write is 503 in time, reads go on, and the next write gets a new connection', onPostgres(), async (t) => {
  const server = await serving(t)
  const { cluster, http, write } = server
  t.equal((await write(0)).status, 201, 'a write before the fault')
  // Only the server processes behind the app's write connections, idle between two writes (no lock held).
  const writers = await cluster.backendsOf('registry-writes')
  t.ok(writers.length > 0, 'the app holds write connections')
  cluster.freeze(writers)
  const stalled = await ended(write(1))
  isUnavailable(t, stalled, 'a write on a stalled connection')
  if (stalled !== 'still running') t.match(stalled.body.detail, /did not answer/)
  t.equal((await http.get(`/v1/prisoners/${SEED.karnei}`)).status, 200, 'reads, on connections of their own, go on meanwhile')
  cluster.thaw()
  await serves(t, server, 2)
})

t.test('PostgreSQL stopped (pg_ctl stop) under the app: 503 with Retry-After, never 500; started again, it serves again', onPostgres(), async (t) => {
  const server = await serving(t)
  const { cluster, http, write } = server
  t.equal((await write(0)).status, 201, 'a write before the fault')
  cluster.stop()
  isUnavailable(t, await ended(http.get(`/v1/prisoners/${SEED.karnei}`)), 'a read of one record')
  isUnavailable(t, await ended(http.get('/v1/prisoners?q=Karnei')), 'a search')
  isUnavailable(t, await ended(write(1)), 'a write')
  isUnavailable(t, await ended(http.get('/health/ready')), '/health/ready')
  cluster.start()
  await serves(t, server, 2)
})

t.test('a read-only PostgreSQL (default_transaction_read_only): /health says writes are not taken, and why; writes are 503', onPostgres(), async (t) => {
  const { http, write } = await serving(t, { readOnlyAfterSeed: true })
  const health = await http.get('/health')
  t.equal(health.status, 503, '/health is not 200 "writes accepted"')
  t.match(health.body, { type: '/problems/storage-unavailable', detail: /cannot take writes: the database is read-only/ })
  t.equal((await http.get('/health/ready')).status, 200, 'it answers reads: still ready for them')
  t.equal((await http.get(`/v1/prisoners/${SEED.karnei}`)).status, 200, 'reads work')
  const refused = await write(1)
  t.equal(refused.status, 503)
  t.match(refused.body, { type: '/problems/storage-unavailable', detail: /read-only/ })
  t.ok(Number(refused.headers['retry-after']) > 0)
})
