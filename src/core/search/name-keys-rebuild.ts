import { EntityManager, In } from 'typeorm'
import type { Database } from '../../db/database'
import { ClaimEntity } from '../../db/entities/claim.entity'
import { NameKeyEntity } from '../../db/entities/name-key.entity'
import { PrisonerEntity } from '../../db/entities/prisoner.entity'
import { SEARCHABLE_CLAIMS } from '../access/access'
import { NAME_KEYS_VERSION, foldName, sortName, storedNameKeys } from './name-keys'

/** The name claims search finds a record by: its current ones, unless withheld (the writer reads the same). */
export const SEARCHED_NAMES = { field: 'name', rank: In(['preferred', 'normal']), ...SEARCHABLE_CLAIMS }

/**
 * Rebuilding what the name rules derive from the stored names, when the rules change.
 *
 * Name keys (name_keys), a name claim's folded copy (claims.folded) and a record's sort name
 * (prisoners.sort_name) are computed by name-keys.ts when a record is written, so new rules leave the
 * rows written before them stale. Rebuilding them used to be a migration's job, which made migrations run
 * live code; now the derived_versions table records which NAME_KEYS_VERSION built the stored rows, and the
 * app rebuilds them on start when its own version differs (older or newer: a rolled-back release
 * rebuilds with its own rules too).
 */

/** The row of derived_versions that the name keys' version is stored in. */
const DERIVED = 'name-keys'
/** Records rebuilt per transaction: each batch is short, so a running server's writes wait little. */
const PRISONERS_PER_BATCH = 200
/** Rows per INSERT: SQLite allows a limited number of parameters per statement. */
const ROWS_PER_INSERT = 200

export interface NameKeysRebuild {
  /** The version the stored rows were built by (null: none recorded). */
  from: number | null
  to: number
  prisoners: number
  /** Name keys written. */
  keys: number
}

export interface RebuildOptions {
  /** Records per transaction (tests use a few to cross batches). */
  prisonersPerBatch?: number
}

/** The version of the rules the stored name keys were built by. */
export async function storedNameKeysVersion(database: Database): Promise<number | null> {
  return (await database.get<{ version: number }>('SELECT version FROM derived_versions WHERE name = ?', [DERIVED]))?.version ?? null
}

/** Rebuilds the name keys if the stored ones were built by other rules than NAME_KEYS_VERSION; null if current. */
export async function rebuildStaleNameKeys(database: Database, options: RebuildOptions = {}): Promise<NameKeysRebuild | null> {
  if ((await storedNameKeysVersion(database)) === NAME_KEYS_VERSION) return null
  return rebuildNameKeys(database, options)
}

/**
 * Rebuilds every record's name keys, folded names and sort name from its current name claims (as the
 * record writer would write them today), then records NAME_KEYS_VERSION.
 *
 * In batches of records, each in its own transaction: a batch replaces all the keys of its records at once,
 * so a search never sees a record half rebuilt, and no transaction holds the write lock for long (the
 * reindex command may run beside a server). The version is stored last: a rebuild that stops midway runs
 * again in full on the next start.
 */
export async function rebuildNameKeys(database: Database, { prisonersPerBatch = PRISONERS_PER_BATCH }: RebuildOptions = {}): Promise<NameKeysRebuild> {
  const from = await storedNameKeysVersion(database)
  let prisoners = 0
  let keys = 0
  for (let after = ''; ; ) {
    const batch = await database.transaction((manager) => rebuildBatch(manager, after, prisonersPerBatch))
    if (batch.last === null) break
    after = batch.last
    prisoners += batch.prisoners
    keys += batch.keys
  }
  await database.transaction((manager) =>
    manager
      .createQueryBuilder()
      .insert()
      .into('derived_versions')
      .values({ name: DERIVED, version: NAME_KEYS_VERSION, rebuilt_at: new Date().toISOString() })
      .orUpdate(['version', 'rebuilt_at'], ['name'])
      .execute(),
  )
  return { from, to: NAME_KEYS_VERSION, prisoners, keys }
}

/** Rebuilds the records after `after` (by id), at most `limit` of them. */
async function rebuildBatch(manager: EntityManager, after: string, limit: number): Promise<{ last: string | null; prisoners: number; keys: number }> {
  const records: { id: string; name: string | null; sortName: string }[] = await manager
    .createQueryBuilder(PrisonerEntity, 'p')
    .select(['p.id AS "id"', 'p.name AS "name"', 'p.sortName AS "sortName"'])
    .where('p.id > :after', { after })
    .orderBy('p.id')
    .limit(limit)
    .getRawMany()
  if (records.length === 0) return { last: null, prisoners: 0, keys: 0 }
  const ids = records.map((record) => record.id)

  // The same claims and keys as RecordWriter.indexNames: a record's current names (withheld ones never), every key of each.
  const claims = await manager.findBy(ClaimEntity, { prisonerId: In(ids), ...SEARCHED_NAMES })
  const rows = claims.flatMap((claim) =>
    storedNameKeys(JSON.parse(claim.value) as string).map((key) => ({ prisonerId: claim.prisonerId, claimId: claim.id, key })),
  )
  await manager.delete(NameKeyEntity, { prisonerId: In(ids) })
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await manager.insert(NameKeyEntity, rows.slice(start, start + ROWS_PER_INSERT))
  }

  // Folded copies are rewritten only where the rules changed them: most rows are left untouched.
  for (const claim of claims) {
    const folded = foldName(JSON.parse(claim.value) as string)
    if (claim.folded !== folded) await manager.update(ClaimEntity, { id: claim.id }, { folded })
  }
  for (const { id, name, sortName: stored } of records) {
    const sorted = sortName(name)
    if (sorted !== stored) await manager.update(PrisonerEntity, { id }, { sortName: sorted })
  }
  return { last: ids[ids.length - 1], prisoners: records.length, keys: rows.length }
}
