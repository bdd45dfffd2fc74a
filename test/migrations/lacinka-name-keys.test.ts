import t from 'tap'
import { buildTestApp } from '../helpers/test-app'

const KEYS = 'SELECT prisoner_id, claim_id, key FROM name_keys ORDER BY claim_id, key'

t.test('the Łacinka migration rebuilds the stored keys of every current name', async (t) => {
  const { database, http } = await buildTestApp(t)
  const built = database.all(KEYS)
  t.ok(built.length > 0)

  // Keys as an older release left them: one key per word, without the Łacinka readings.
  await database.transaction((manager) => manager.query("DELETE FROM name_keys WHERE key IN ('palak', 'alaksandr') OR key LIKE 'k%'"))
  t.not(database.all(KEYS).length, built.length)
  t.same((await http.get('/v1/prisoners').query({ q: 'Karnei' })).body.data, [], 'the old keys miss names')

  await database.dataSource.undoLastMigration()
  await database.dataSource.runMigrations()
  t.same(database.all(KEYS), built, 'the same keys as names written today get')
  t.equal((await http.get('/v1/prisoners').query({ q: 'Karnei' })).body.data.length, 1)
})
