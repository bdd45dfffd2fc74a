import t from 'tap'
import type { Database } from '../../../src/db/database'
import { NAME_KEYS_VERSION } from '../../../src/core/search/name-keys'
import { rebuildNameKeys, rebuildStaleNameKeys, storedNameKeysVersion } from '../../../src/core/search/name-keys-rebuild'
import { buildTestApp, SEED, snapshot } from '../../helpers/test-app'

const KEYS = 'SELECT prisoner_id, claim_id, key FROM name_keys ORDER BY claim_id, key'
const FOLDED = "SELECT id, folded FROM claims WHERE field = 'name' ORDER BY id"
const SORT_NAMES = 'SELECT id, sort_name FROM prisoners ORDER BY id'
const VERSION_ROW = "SELECT version, rebuilt_at FROM derived_versions WHERE name = 'name-keys'"
/**
 * Changes whenever a write commits: equal before and after means nothing was written. SQLite counts commits of
 * other connections; on PostgreSQL every row a write touches gets the writing transaction's id (xmin).
 */
const writesSeen = (database: Database) =>
  database.dialect === 'sqlite'
    ? 'PRAGMA data_version'
    : 'SELECT ' +
      ['prisoners', 'claims', 'name_keys', 'derived_versions']
        .map((table) => `(SELECT COALESCE(string_agg(xmin::text, ',' ORDER BY xmin::text), '') FROM ${table})`)
        .join(" || '/' || ") + ' AS xmins'

t.test('keys built by the current rules are left alone: no rebuild, no write', async (t) => {
  const { database } = await buildTestApp(t)
  t.equal(await storedNameKeysVersion(database), NAME_KEYS_VERSION, 'a migrated database records the current version')
  const before = { tables: (await snapshot(database)), keys: (await database.all(KEYS)), data: (await database.get(writesSeen(database))), row: (await database.get(VERSION_ROW)) }

  t.equal(await rebuildStaleNameKeys(database), null)
  t.same({ tables: (await snapshot(database)), keys: (await database.all(KEYS)), data: (await database.get(writesSeen(database))), row: (await database.get(VERSION_ROW)) }, before)
})

t.test('keys built by other rules are rebuilt as a fresh write builds them, and the version recorded', async (t) => {
  const { database, http } = await buildTestApp(t)
  // As the record writer left them (every seeded record was written through it).
  const written = { keys: (await database.all(KEYS)), folded: (await database.all(FOLDED)), sortNames: (await database.all(SORT_NAMES)) }
  const prisoners = written.sortNames.length

  // As older rules would have left them: keys missing, one that no rule gives, stale folded and sort names.
  await database.transaction(async (manager) => {
    await manager.query("DELETE FROM name_keys WHERE key LIKE '% %' OR key IN ('palak', 'alaksandr') OR key LIKE 'k%'")
    await manager.query("INSERT INTO name_keys (prisoner_id, claim_id, key) SELECT prisoner_id, claim_id, 'stale' FROM name_keys LIMIT 1")
    await manager.query("UPDATE claims SET folded = 'stale' WHERE field = 'name'")
    await manager.query(database.sql("UPDATE prisoners SET sort_name = 'stale' WHERE id = ?"), [SEED.tsikhanouski])
    await manager.query("UPDATE derived_versions SET version = 0 WHERE name = 'name-keys'")
  })
  t.not((await database.all(KEYS)).length, written.keys.length)
  t.same((await http.get('/v1/prisoners').query({ q: 'Ihar Karnei' })).body.data, [], 'the stale keys miss names')

  // A few records per batch, so that the rebuild crosses batches.
  const rebuilt = await rebuildStaleNameKeys(database, { prisonersPerBatch: 4 })
  t.same(rebuilt, { from: 0, to: NAME_KEYS_VERSION, prisoners, keys: written.keys.length })
  t.same((await database.all(KEYS)), written.keys, 'the keys a fresh write gives')
  t.same((await database.all(FOLDED)), written.folded, 'the folded names a fresh write gives')
  t.same((await database.all(SORT_NAMES)), written.sortNames, 'the sort names a fresh write gives')
  const row = (await database.get<{ version: number; rebuilt_at: string }>(VERSION_ROW))!
  t.equal(row.version, NAME_KEYS_VERSION)
  t.match(row.rebuilt_at, /^\d{4}-\d\d-\d\dT/)
  t.equal((await http.get('/v1/prisoners').query({ q: 'Ihar Karnei' })).body.data.length, 1, 'found again')
  t.equal(await rebuildStaleNameKeys(database), null, 'current now')

  // Forced (npm run reindex): the same keys again, whatever the stored version.
  t.same(await rebuildNameKeys(database), { from: NAME_KEYS_VERSION, to: NAME_KEYS_VERSION, prisoners, keys: written.keys.length })
  t.same((await database.all(KEYS)), written.keys)
})
