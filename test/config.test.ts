import t from 'tap'
import { loadConfig } from '../src/config'

t.test('defaults serve on localhost:3000 from data/registry.sqlite', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.match(config.database, /data\/registry\.sqlite$/)
  t.equal(config.seedOnStart, true)
  t.equal(config.requestTimeoutMs, 30_000, 'a request has 30 s to arrive')
})

t.test('REQUEST_TIMEOUT_MS sets the time a request has to arrive, in ms', async (t) => {
  t.equal(loadConfig({ REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs, 5000)
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' }), /REQUEST_TIMEOUT_MS must be a whole number from 1000 to 3600000/)
  t.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '30s' }), /REQUEST_TIMEOUT_MS must be a whole number/)
})

t.test('DATABASE_URL chooses PostgreSQL over the SQLite file; a URL of another kind is refused without its password', async (t) => {
  const url = 'postgres://registry:secret@db.internal:5432/registry'
  t.equal(loadConfig({ DATABASE_URL: url, DATABASE_PATH: 'x.sqlite' }).database, url)
  t.match(loadConfig({ DATABASE_PATH: 'x.sqlite' }).database, /\/x\.sqlite$/)
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://root:secret@db/registry' }), { message: /DATABASE_URL must be a PostgreSQL URL .*mysql:\/\/root:\*\*\*@db/ })
})

t.test('a bad value fails fast, naming the variable', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/)
  t.throws(() => loadConfig({ SEED_ON_START: 'maybe' }), /SEED_ON_START must be true or false/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/)
})

t.test('TRUST_PROXY says which proxies may name the client: none by default, every hop, a number of hops, or addresses', async (t) => {
  t.equal(loadConfig({}).trustProxy, false, 'no proxy is trusted unless told')
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2)
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback, ::1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1', 'loopback', '::1'])
  t.throws(() => loadConfig({ TRUST_PROXY: 'nginx' }), /TRUST_PROXY must be .*"nginx" is none of these/)
  t.throws(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' }), /"10\.0\.0\.0\/33" is none of these/)
})

t.test('SHUTDOWN_TIMEOUT_MS bounds how long a stopping server waits for requests in flight', async (t) => {
  t.equal(loadConfig({}).shutdownTimeoutMs, 10_000)
  t.equal(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs, 2500)
  t.throws(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '-1' }), /SHUTDOWN_TIMEOUT_MS must be a whole number/)
})

t.test('the database timeouts and the start-up wait: seconds by default, each set in ms, a bad value refused by name', async (t) => {
  const defaults = loadConfig({})
  t.same(defaults.databaseTimeouts, { connectMs: 5_000, statementMs: 10_000, lockMs: 5_000 })
  t.equal(defaults.databaseStartWaitMs, 60_000)
  const set = loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '30000', DATABASE_LOCK_TIMEOUT_MS: '1500', DATABASE_START_WAIT_MS: '0' })
  t.same(set.databaseTimeouts, { connectMs: 2_000, statementMs: 30_000, lockMs: 1_500 })
  t.equal(set.databaseStartWaitMs, 0, '0: no waiting, the first failure exits')
  t.throws(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }), /DATABASE_STATEMENT_TIMEOUT_MS must be a whole number from 100/, '0 would mean no limit to PostgreSQL')
  t.throws(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '5s' }), /DATABASE_CONNECT_TIMEOUT_MS must be a whole number/)
  t.throws(() => loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '0' }), /DATABASE_LOCK_TIMEOUT_MS must be a whole number from 1/)
  t.throws(() => loadConfig({ DATABASE_START_WAIT_MS: '-1' }), /DATABASE_START_WAIT_MS must be a whole number/)
})

t.test('webhooks reach no private address unless WEBHOOK_ALLOW_PRIVATE lists it; their timeout, retries and attempts', async (t) => {
  t.same(loadConfig({}).webhooks, { allowPrivate: [], timeoutMs: 10_000, retryBaseMs: 30_000, maxAttempts: 10 })
  t.same(loadConfig({ WEBHOOK_ALLOW_PRIVATE: '127.0.0.1, 10.0.0.0/8,::1' }).webhooks.allowPrivate, ['127.0.0.1', '10.0.0.0/8', '::1'])
  t.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'localhost' }), /WEBHOOK_ALLOW_PRIVATE must be IP addresses or CIDR ranges .*"localhost"/)
  t.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/33' }), /WEBHOOK_ALLOW_PRIVATE must be/)
  t.throws(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '10s' }), /WEBHOOK_TIMEOUT_MS must be a whole number/)
  t.throws(() => loadConfig({ WEBHOOK_MAX_ATTEMPTS: '0' }), /WEBHOOK_MAX_ATTEMPTS must be a whole number from 1 to 50/)
  t.equal(loadConfig({ WEBHOOK_RETRY_BASE_MS: '100' }).webhooks.retryBaseMs, 100)
})

t.test('captures fetch no private address unless CAPTURE_ALLOW_PRIVATE lists it; their limits', async (t) => {
  t.same(loadConfig({}).capture, { allowPrivate: [], allowPublic: true, timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxDecodedBytes: 10 * 1024 * 1024, maxRedirects: 5 })
  const set = loadConfig({ CAPTURE_ALLOW_PRIVATE: '127.0.0.1,::1', CAPTURE_TIMEOUT_MS: '5000', CAPTURE_MAX_BYTES: '1048576', CAPTURE_MAX_DECODED_BYTES: '2097152', CAPTURE_MAX_REDIRECTS: '0', CAPTURE_ALLOW_PUBLIC: 'false' })
  t.same(set.capture, { allowPrivate: ['127.0.0.1', '::1'], allowPublic: false, timeoutMs: 5000, maxBytes: 1_048_576, maxDecodedBytes: 2_097_152, maxRedirects: 0 })
  t.throws(() => loadConfig({ CAPTURE_ALLOW_PRIVATE: 'localhost' }), /CAPTURE_ALLOW_PRIVATE must be IP addresses or CIDR ranges .*"localhost"/)
  t.throws(() => loadConfig({ CAPTURE_TIMEOUT_MS: '15s' }), /CAPTURE_TIMEOUT_MS must be a whole number/)
  t.throws(() => loadConfig({ CAPTURE_MAX_REDIRECTS: '21' }), /CAPTURE_MAX_REDIRECTS must be a whole number from 0 to 20/)
})

t.test("ACTOR_PSEUDONYM_SECRET replaces the database's secret of pseudonyms; a short one is refused", async (t) => {
  t.equal(loadConfig({}).actorPseudonymSecret, undefined, 'unset: the one kept in the database')
  t.equal(loadConfig({ ACTOR_PSEUDONYM_SECRET: 's'.repeat(32) }).actorPseudonymSecret, 's'.repeat(32))
  t.throws(() => loadConfig({ ACTOR_PSEUDONYM_SECRET: 'short' }), /ACTOR_PSEUDONYM_SECRET must be at least 32 characters/)
})
