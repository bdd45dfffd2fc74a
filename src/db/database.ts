import { setTimeout as sleep } from 'node:timers/promises'
import type { WriteMode } from '../shared/dry-run'
import { DataSource, EntityManager } from 'typeorm'
import { createDataSource, type Migrations } from './data-source'
import { dialectOf, numberedParams, type Dialect } from './dialect'
import { migrateUnderWriteLock } from './migrate'
import { PostgresStore } from './postgres-store'
import type { Reads, SnapshotReads, Store } from './read-store'
import { SqliteStore } from './sqlite-store'
import { readProblem, sqliteCode, storageProblem, storageReason, unreachable } from './storage-errors'
import { DEFAULT_TIMEOUTS, type StorageTimeouts } from './timeouts'

/** How long the health check waits for the write lock: a load balancer must hear back quickly. */
const PROBE_LOCK_TIMEOUT_MS = 500
/** How long the health checks wait for the database to answer a query, for the same reason. */
const PROBE_TIMEOUT_MS = 2_000
/** How long opening waits for another process that is migrating the same SQLite file. */
const OPEN_RETRY_MS = 30_000
/** Pauses between attempts to reach a database at start-up: from the first to the longest. */
const START_RETRY_PAUSE_MS = { first: 1_000, longest: 5_000 }
/** A read of the records' table (not `SELECT 1`, which a server answers without its tables). */
const PING = 'SELECT id FROM prisoners ORDER BY id LIMIT 1'

/** How long storage may keep a request waiting (timeouts.ts), each one left out its default; and how to migrate. */
export type DatabaseOptions = Partial<StorageTimeouts> & {
  /** Where a retried migration is reported (migrate.ts); stderr unless told. */
  log?: (message: string) => void
  /** The migrations to bring the schema to: all of them unless told (tests of upgrades stop at an older one). */
  migrations?: Migrations
}

/** What start-up is told of each attempt to reach the database that failed and will be made again. */
export interface RetryNotice {
  attempt: number
  reason: string
  retryInMs: number
}

/** Whether the database takes writes now, and if not, why (for /health). */
export type WriteHealth = { writable: true } | { writable: false; reason: string }

/**
 * The app's handle on storage, SQLite or PostgreSQL (chosen by the location: a postgres:// URL, or a file):
 * TypeORM for writes, hand-written SQL for reads (read-store.ts), one migration history for both.
 *
 * Writes are queued one at a time within the process (TypeORM's SQLite driver shares one connection, so two
 * overlapping transactions would nest into each other); across processes the engine's write lock orders them
 * (sqlite-store.ts, postgres-store.ts). A write is acknowledged only after its COMMIT.
 */
export class Database implements Reads {
  private writeQueue: Promise<unknown> = Promise.resolve()

  private constructor(
    readonly dataSource: DataSource,
    private readonly store: Store,
    private readonly writeLockTimeoutMs: number,
  ) {}

  /** Opens the database at `location` (a PostgreSQL URL or a SQLite file path) and brings its schema up to date. */
  static async open(location: string, options: DatabaseOptions = {}): Promise<Database> {
    // Two processes starting on one new SQLite file: the one that loses the race to migrate it (SQLite refuses a
    // read transaction's upgrade to a write at once, whatever the busy timeout) opens again once the other is done.
    for (const deadline = Date.now() + OPEN_RETRY_MS; ; ) {
      try {
        return await Database.openOnce(location, options)
      } catch (error) {
        if (!sqliteCode(error)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error
        await sleep(100)
      }
    }
  }

  /**
   * Opens the database at start-up, waiting for a server that is not there yet or does not answer (a PostgreSQL
   * starting beside the app, a network coming up): each such failure is told to `onRetry` and the opening tried
   * again, with growing pauses, until `waitMs` has passed; then the last failure is thrown. Any other failure (a
   * wrong password, a database that does not exist, a damaged file) is thrown at once.
   */
  static async openPatiently(
    location: string,
    options: DatabaseOptions,
    { waitMs, onRetry }: { waitMs: number; onRetry: (notice: RetryNotice) => void },
  ): Promise<Database> {
    const deadline = Date.now() + waitMs
    for (let attempt = 1, pause = START_RETRY_PAUSE_MS.first; ; attempt++, pause = Math.min(pause * 2, START_RETRY_PAUSE_MS.longest)) {
      try {
        return await Database.open(location, options)
      } catch (error) {
        const left = deadline - Date.now()
        if (!unreachable(error) || left <= 0) throw error
        const retryInMs = Math.min(pause, left)
        onRetry({ attempt, reason: storageReason(error)!, retryInMs })
        await sleep(retryInMs)
      }
    }
  }

  private static async openOnce(location: string, { log = console.warn, migrations, ...options }: DatabaseOptions): Promise<Database> {
    const timeouts: StorageTimeouts = { ...DEFAULT_TIMEOUTS, ...options }
    const dataSource = createDataSource(location, { connectTimeoutMs: timeouts.connectMs, migrations })
    await dataSource.initialize()
    try {
      const store = dialectOf(location) === 'postgres' ? new PostgresStore(location, timeouts) : await SqliteStore.open(location, dataSource)
      await store.exclusively(() => migrateUnderWriteLock(store, dataSource, log))
      return new Database(dataSource, store, timeouts.lockMs)
    } catch (error) {
      await dataSource.destroy()
      throw error
    }
  }

  get dialect(): Dialect {
    return this.store.dialect
  }

  /**
   * Runs `work` in one transaction, after every write queued before it has finished. Resolves only once
   * the transaction has committed; storage that refuses (a lock held too long, a full disk, a read-only
   * file, an unreachable server) rejects with a 503 problem, and the next write starts clean.
   * `dryRun`: every check and write runs as for real, then everything is rolled back (a volunteer's "check it").
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, { dryRun = false }: WriteMode = {}): Promise<T> {
    return this.queued(async () => {
      try {
        return await this.store.transact(this.dataSource, work, this.writeLockTimeoutMs, dryRun)
      } catch (error) {
        throw storageProblem(error) ?? error
      }
    })
  }

  /** Whether a write would be taken now: takes the write lock and writes, as every write must. */
  async writeHealth(): Promise<WriteHealth> {
    try {
      await this.queued(() => this.store.transact(this.dataSource, (manager) => this.store.probeWrite(manager), PROBE_LOCK_TIMEOUT_MS, false))
      return { writable: true }
    } catch (error) {
      return { writable: false, reason: storageReason(error) ?? 'the database refused a test write' }
    }
  }

  /** A query written with `?` marks, as this engine takes it in `manager.query` (PostgreSQL numbers its marks). */
  sql(text: string): string {
    return this.dialect === 'postgres' ? numberedParams(text) : text
  }

  /** A read's rows; a database that cannot answer (down, stalled, overloaded) rejects with a 503 problem. */
  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.store.all<T>(sql, params).catch(asReadProblem)
  }

  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.store.get<T>(sql, params).catch(asReadProblem)
  }

  /** Reads of one consistent snapshot (an audit run): see SnapshotReads. */
  snapshot<T>(work: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    return this.store.snapshot(work).catch(asReadProblem)
  }

  /**
   * Rows of one query, streamed from a snapshot of their own that ends with the iteration (or when it is
   * abandoned, e.g. a client that disconnects): an export.
   */
  iterate<T>(sql: string, params: readonly unknown[] = []): AsyncGenerator<T, void, undefined> {
    return this.store.iterate<T>(sql, params)
  }

  /** Runs `work` while no other instance on this database runs its own (start-up: migrate, rebuild, seed). */
  exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.store.exclusively(work)
  }

  /** Whether the database answers a real query, on the read store and on the connections writes use, in time. */
  async ping(): Promise<boolean> {
    try {
      await this.store.ping(this.dataSource, PING, PROBE_TIMEOUT_MS)
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await this.writeQueue
    await this.store.close()
    if (this.dataSource.isInitialized) await this.dataSource.destroy()
  }

  private queued<T>(run: () => Promise<T>): Promise<T> {
    const result = this.writeQueue.then(run)
    this.writeQueue = result.catch(() => undefined)
    return result
  }
}

/** A storage failure of a read, as the 503 to answer; anything else (a bug) as it was. */
function asReadProblem(error: unknown): never {
  throw readProblem(error) ?? error
}
