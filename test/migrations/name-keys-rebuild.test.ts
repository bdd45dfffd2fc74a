import t from 'tap'
import { NamePairKeys1751000000000 } from '../../migrations/1751000000000-NamePairKeys'
import { buildTestApp } from '../helpers/test-app'

const KEYS = 'SELECT prisoner_id, claim_id, key FROM name_keys ORDER BY claim_id, key'

t.test('the pair-key migration rebuilds the stored keys of every current name, pair keys included', async (t) => {
  const { database, http } = await buildTestApp(t)
  const built = (await database.all(KEYS))
  t.ok(built.some((row) => (row as { key: string }).key === 'sergej tiganavsk'), 'pair keys are stored')

  // Keys as an older release left them: one key per word, no pairs, some readings missing.
  await database.transaction((manager) => manager.query("DELETE FROM name_keys WHERE key LIKE '% %' OR key IN ('palak', 'alaksandr') OR key LIKE 'k%'"))
  t.not((await database.all(KEYS)).length, built.length)
  t.same((await http.get('/v1/prisoners').query({ q: 'Ihar Karnei' })).body.data, [], 'the old keys miss names')

  const migration = new NamePairKeys1751000000000()
  const runner = database.dataSource.createQueryRunner()
  t.teardown(() => runner.release())
  await migration.down(runner)
  t.equal((await database.all("SELECT key FROM name_keys WHERE key LIKE '% %'")).length, 0, 'undone: no pair keys left')
  await migration.up(runner)
  t.same((await database.all(KEYS)), built, 'the same keys as names written today get')
  t.equal((await http.get('/v1/prisoners').query({ q: 'Ihar Karnei' })).body.data.length, 1)
})
