import { setTimeout as sleep } from 'node:timers/promises'
import BetterSqlite3 from 'better-sqlite3'
import { DataSource, EntityManager } from 'typeorm'
import { createDataSource } from './data-source'
import { sqliteCode, storageProblem, storageReason } from './storage-errors'

/** How long a write waits for a lock another process holds before it is answered 503. */
const WRITE_LOCK_TIMEOUT_MS = 5_000
/** How long the health check waits for it: a load balancer must hear back quickly. */
const PROBE_LOCK_TIMEOUT_MS = 500

export interface DatabaseOptions {
  /** How long a write waits for the write lock another process holds (then 503). */
  writeLockTimeoutMs?: number
}

/** Whether the database takes writes now, and if not, why (for /health). */
export type WriteHealth = { writable: true } | { writable: false; reason: string }

/**
 * The app's handle on storage: TypeORM for writes, and a separate read-only connection for reads.
 *
 * TypeORM's SQLite driver shares one connection between all callers, so two overlapping transactions
 * would nest into each other and a read could see another request's uncommitted rows. Writes are
 * therefore queued one at a time (SQLite has one writer anyway), and reads use their own connection,
 * which in WAL mode sees only committed data and never waits for a writer.
 *
 * The write transaction is ours, not TypeORM's (DESIGN.md §2, invariant 7):
 * - `BEGIN IMMEDIATE` takes the write lock first, and waits for it while another process holds it.
 *   TypeORM's deferred `BEGIN` read first and then failed at once when another process held the lock.
 * - When COMMIT fails (full disk, read-only file), TypeORM kept believing its transaction was open, and
 *   every later write went into a savepoint of a transaction that never committed: answered 201, never
 *   saved. Here the connection's own `inTransaction` decides whether to roll back, so the next write
 *   starts clean and is saved once storage is back.
 */
export class Database {
  private writeQueue: Promise<unknown> = Promise.resolve()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  private readConnection: BetterSqlite3.Database | null = null

  private constructor(
    readonly dataSource: DataSource,
    private readonly databasePath: string,
    private readonly writeLockTimeoutMs: number,
  ) {}

  static async open(databasePath: string, { writeLockTimeoutMs = WRITE_LOCK_TIMEOUT_MS }: DatabaseOptions = {}): Promise<Database> {
    const dataSource = createDataSource(databasePath)
    await dataSource.initialize()
    await dataSource.runMigrations()
    const database = new Database(dataSource, databasePath, writeLockTimeoutMs)
    // From here on the write lock is waited for without blocking the event loop (see beginImmediate).
    const writeConnection = (await dataSource.createQueryRunner().connect()) as BetterSqlite3.Database
    writeConnection.pragma('busy_timeout = 0')
    database.readConnection = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true })
    return database
  }

  /**
   * Runs `work` in one transaction, after every write queued before it has finished. Resolves only once
   * the transaction has committed; storage that refuses (a lock held too long, a full disk, a read-only
   * file) rejects with a 503 problem, and the connection is left ready for the next write.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, { dryRun = false }: { dryRun?: boolean } = {}): Promise<T> {
    const run = this.writeQueue.then(() => this.inTransaction(work, this.writeLockTimeoutMs, dryRun))
    this.writeQueue = run.catch(() => undefined)
    return run
  }

  /** Whether a write would be taken now: takes the write lock and writes one page, as every write must. */
  async writeHealth(): Promise<WriteHealth> {
    const probe = this.writeQueue.then(() =>
      this.transact(async (manager) => {
        // Rewriting the header's user_version (unused by the app) dirties page 1: the commit must reach the disk.
        const [{ user_version: version }] = (await manager.query('PRAGMA user_version')) as { user_version: number }[]
        await manager.query(`PRAGMA user_version = ${Number(version)}`)
      }, PROBE_LOCK_TIMEOUT_MS),
    )
    this.writeQueue = probe.catch(() => undefined)
    try {
      await probe
      return { writable: true }
    } catch (error) {
      return { writable: false, reason: storageReason(error) ?? 'the database refused a test write' }
    }
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun: boolean): Promise<T> {
    try {
      return await this.transact(work, lockTimeoutMs, dryRun)
    } catch (error) {
      throw storageProblem(error) ?? error
    }
  }

  /** `dryRun`: every check and write runs as for real, then everything is rolled back (a volunteer's "check it"). */
  private async transact<T>(work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun = false): Promise<T> {
    const runner = this.dataSource.createQueryRunner()
    const connection = (await runner.connect()) as BetterSqlite3.Database
    await beginImmediate(connection, lockTimeoutMs)
    // TypeORM must run inside this transaction, not open one of its own (save() would otherwise BEGIN).
    // The flag is TypeORM's own public state, typed read-only for callers.
    const state = runner as { isTransactionActive: boolean }
    state.isTransactionActive = true
    try {
      const result = await work(runner.manager)
      connection.exec(dryRun ? 'ROLLBACK' : 'COMMIT')
      return result
    } catch (error) {
      // SQLite rolls some failed commits back by itself (a full disk); only an open transaction is rolled back.
      if (connection.inTransaction) {
        try {
          connection.exec('ROLLBACK')
        } catch {
          // Nothing more can be undone; the next BEGIN finds the connection as SQLite left it.
        }
      }
      throw error
    } finally {
      state.isTransactionActive = false
    }
  }

  /** Rows of a read-only query; statements are prepared once and reused. */
  all<T>(sql: string, params: unknown[] = []): T[] {
    return this.statement(sql).all(...params) as T[]
  }

  get<T>(sql: string, params: unknown[] = []): T | undefined {
    return this.statement(sql).get(...params) as T | undefined
  }

  /**
   * Iterates rows without holding them all in memory (exports), on a read-only connection of its own,
   * closed when the iteration ends or is abandoned (`return()`, e.g. a client that disconnects).
   *
   * Not on the shared read connection: an open iterator keeps its statement busy (a second export of
   * the same SQL would throw "This statement is busy executing a query") and keeps the connection's
   * read transaction open, so every other read on it would see the snapshot of the export's start,
   * not the writes committed since, for as long as a slow client takes to download. Here the export
   * reads one consistent snapshot and nothing else is held back.
   */
  *iterate<T>(sql: string, params: unknown[] = []): Generator<T, void, undefined> {
    const connection = new BetterSqlite3(this.databasePath, { readonly: true, fileMustExist: true })
    try {
      yield* connection.prepare(sql).iterate(...params) as IterableIterator<T>
    } finally {
      connection.close()
    }
  }

  async ping(): Promise<boolean> {
    try {
      this.get('SELECT 1 AS ok')
      await this.dataSource.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await this.writeQueue
    this.readConnection?.close()
    if (this.dataSource.isInitialized) await this.dataSource.destroy()
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      if (!this.readConnection) throw new Error('The database is closed')
      statement = this.readConnection.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}

/**
 * `BEGIN IMMEDIATE`, retried while another process holds the write lock, until `timeoutMs`. SQLite's own
 * busy timeout would wait inside the synchronous driver call and stall every other request meanwhile;
 * here reads go on being answered while a write waits.
 */
async function beginImmediate(connection: BetterSqlite3.Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      connection.exec('BEGIN IMMEDIATE')
      return
    } catch (error) {
      if (!sqliteCode(error)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())))
    }
  }
}
