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
