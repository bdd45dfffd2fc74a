import { setTimeout as sleep } from 'node:timers/promises'
import { type DataSource, MigrationExecutor } from 'typeorm'
import type { Store } from './read-store'
import { postgresCode, sqliteCode } from './storage-errors'

/**
 * How long a migration statement waits for a lock (the write lock, a table a reader holds) before the try is
 * rolled back. Below a write's own wait (5 s, database.ts): writes of other instances queued behind a
 * migration are answered late, not 503, unless it is retried.
 */
export const MIGRATION_LOCK_TIMEOUT_MS = 2_000
/** Tries before start-up gives up with the engine's error (docs/deploy.md: about a minute and a half). */
export const MIGRATION_TRIES = 30
const PAUSE_MS = 1_000

/** A lock another connection held past the timeout, or a deadlock the server broke by failing this side. */
function lockConflict(error: unknown): string | undefined {
  const sqlite = sqliteCode(error)
  if (sqlite?.startsWith('SQLITE_BUSY')) return 'another process holds the database file for writing'
  const code = postgresCode(error)
  if (code === '55P03') return 'a lock was not had within lock_timeout'
  if (code === '40P01') return 'deadlock detected'
  return undefined
}

/**
 * Brings the schema up to date under the registry's write lock (store.migrate): writes of other instances
 * wait for it, and a try that waits too long for a lock, or is chosen to break a deadlock, is rolled back and
 * tried again, with one log line each time, up to MIGRATION_TRIES. Nothing pending: no lock is taken.
 */
export async function migrateUnderWriteLock(store: Store, dataSource: DataSource, log: (message: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await new MigrationExecutor(dataSource).getPendingMigrations()).length === 0) return
    try {
      await store.migrate(dataSource, MIGRATION_LOCK_TIMEOUT_MS)
      return
    } catch (error) {
      const reason = lockConflict(error)
      if (!reason || attempt >= MIGRATION_TRIES) throw error
      log(`migrations: ${reason} (try ${attempt} of ${MIGRATION_TRIES}); trying again in ${PAUSE_MS / 1000} s`)
      await sleep(PAUSE_MS)
    }
  }
}
