import t from 'tap'
import { loadConfig } from '../src/config'

t.test('defaults serve on localhost:3000 from data/registry.sqlite', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.match(config.databasePath, /data\/registry\.sqlite$/)
  t.equal(config.seedOnStart, true)
})

t.test('a bad value fails fast, naming the variable', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/)
  t.throws(() => loadConfig({ SEED_ON_START: 'maybe' }), /SEED_ON_START must be true or false/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/)
})
