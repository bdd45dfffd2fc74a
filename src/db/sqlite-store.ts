import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import BetterSqlite3 from 'better-sqlite3'
import { type DataSource, type EntityManager, MigrationExecutor } from 'typeorm'
import type { SnapshotReads, Store } from './read-store'
import { sqliteCode } from './storage-errors'

/**
 * SQLite through better-sqlite3: reads on a read-only connection of their own, which in WAL mode sees only
 * committed data and never waits for a writer; prepared once and reused. The driver is synchronous, so a read
 * answers at once (as a resolved promise) and SQLite keeps its speed behind the asynchronous interface.
 *
 * The write transaction is ours, not TypeORM's (docs/design.md §2, invariant 7):
 * - `BEGIN IMMEDIATE` takes the write lock first, and waits for it while another process holds it.
 *   TypeORM's deferred `BEGIN` read first and then failed at once when another process held the lock.
 * - When COMMIT fails (full disk, read-only file), TypeORM kept believing its transaction was open, and
 *   every later write went into a savepoint of a transaction that never committed: answered 201, never
 *   saved. Here the connection's own `inTransaction` decides whether to roll back, so the next write
 *   starts clean and is saved once storage is back.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  private readonly reader: BetterSqlite3.Database

  private constructor(private readonly file: string) {
    this.reader = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  }

  /** After TypeORM has opened (and so created) the file. From here the write lock is waited for asynchronously. */
  static async open(file: string, dataSource: DataSource): Promise<SqliteStore> {
    const writer = (await dataSource.createQueryRunner().connect()) as BetterSqlite3.Database
    writer.pragma('busy_timeout = 0')
    return new SqliteStore(file)
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.statement(sql).all(...params) as T[]
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.statement(sql).get(...params) as T | undefined
  }

  /**
   * On a read-only connection of its own, closed at the end: an open iteration keeps its statement busy and
   * its connection's read transaction open, so on the shared connection every other read would see the
   * export's snapshot for as long as a slow client takes to download. One iteration at a time: SQLite runs no
   * other statement on a connection while one iterates.
   */
  async snapshot<T>(work: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    const connection = new BetterSqlite3(this.file, { readonly: true, fileMustExist: true })
    try {
      connection.exec('BEGIN')
      const reads: SnapshotReads = {
        all: async <R>(sql: string, params: readonly unknown[] = []) => connection.prepare(sql).all(...params) as R[],
        get: async <R>(sql: string, params: readonly unknown[] = []) => connection.prepare(sql).get(...params) as R | undefined,
        async *iterate<R>(sql: string, params: readonly unknown[] = []) {
          yield* connection.prepare(sql).iterate(...params) as IterableIterator<R>
        },
      }
      return await work(reads)
    } finally {
      connection.close()
    }
  }

  async *iterate<T>(sql: string, params: readonly unknown[] = []): AsyncGenerator<T, void, undefined> {
    const connection = new BetterSqlite3(this.file, { readonly: true, fileMustExist: true })
    try {
      yield* connection.prepare(sql).iterate(...params) as IterableIterator<T>
    } finally {
      connection.close()
    }
  }

  async transact<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun: boolean): Promise<T> {
    const runner = dataSource.createQueryRunner()
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

  /**
   * The pending migrations in one `BEGIN IMMEDIATE` transaction: the write lock is taken first and waited for
   * (another process's write finishes), rather than TypeORM's deferred `BEGIN`, which read the schema and then
   * failed at once on a file another process was writing. All or none of them: a file is never left half
   * migrated. Foreign keys are off meanwhile, as TypeORM's runner has them (it rebuilds a table to alter it),
   * and that pragma cannot change inside a transaction.
   */
  async migrate(dataSource: DataSource, lockTimeoutMs: number): Promise<void> {
    const runner = dataSource.createQueryRunner()
    const connection = (await runner.connect()) as BetterSqlite3.Database
    connection.pragma('foreign_keys = OFF')
    const state = runner as { isTransactionActive: boolean }
    try {
      await beginImmediate(connection, lockTimeoutMs)
      // TypeORM runs the migrations inside this transaction rather than opening one of its own.
      state.isTransactionActive = true
      const executor = new MigrationExecutor(dataSource, runner)
      executor.transaction = 'all'
      await executor.executePendingMigrations()
      connection.exec('COMMIT')
    } catch (error) {
      if (connection.inTransaction) rollbackQuietly(connection)
      throw error
    } finally {
      state.isTransactionActive = false
      connection.pragma('foreign_keys = ON')
    }
  }

  /** Rewriting the header's user_version (unused by the app) dirties page 1: the commit must reach the disk. */
  async probeWrite(manager: EntityManager): Promise<void> {
    const [{ user_version: version }] = (await manager.query('PRAGMA user_version')) as { user_version: number }[]
    await manager.query(`PRAGMA user_version = ${Number(version)}`)
  }

  /** The driver is synchronous and the file local: a query answers or fails at once, so there is nothing to time. */
  async ping(dataSource: DataSource, sql: string): Promise<void> {
    await this.get(sql)
    await dataSource.query(sql)
  }

  /**
   * One process at a time on this file (start-up: migrations, name-key rebuild, seed): two servers started
   * together on a new file both found no `migrations` table and both created it, and both could seed. SQLite has
   * no lock that outlives a transaction, so this is a lock file beside the database, made with exclusive create;
   * one left by a process that died (its pid is gone) is taken over.
   */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    const lock = `${this.file}.setup-lock`
    for (const deadline = Date.now() + SETUP_LOCK_WAIT_MS; ; ) {
      try {
        writeFileSync(lock, String(process.pid), { flag: 'wx' })
        break
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        // A full disk or a read-only folder: no process can write there, so none can migrate or seed meanwhile,
        // and the work (which then only reads, on a migrated database) goes on without the lock.
        if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return work()
        if (code !== 'EEXIST') throw error
        if (stale(lock)) {
          rmSync(lock, { force: true })
          continue
        }
        if (Date.now() >= deadline) {
          throw new Error(`${lock} is held by process ${readFileIfAny(lock)} for more than ${SETUP_LOCK_WAIT_MS / 1000} s`, { cause: error })
        }
        await sleep(50)
      }
    }
    try {
      return await work()
    } finally {
      rmSync(lock, { force: true })
    }
  }

  async close(): Promise<void> {
    this.reader.close()
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      if (!this.reader.open) throw new Error('The database is closed')
      statement = this.reader.prepare(sql)
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

/** A migration's rollback: its own error is the one to report, whatever the rollback says. */
function rollbackQuietly(connection: BetterSqlite3.Database): void {
  try {
    connection.exec('ROLLBACK')
  } catch {
    // Nothing more can be undone: the file keeps what SQLite left of it, the schema unchanged.
  }
}

/** How long a process waits for another one's start-up on the same file. */
const SETUP_LOCK_WAIT_MS = 60_000

/** The text of a file, or '' when it is gone (its holder released it meanwhile). */
function readFileIfAny(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** Whether a lock file's holder is gone: its pid no longer runs, or it never wrote one (and a second has passed). */
function stale(lock: string): boolean {
  const pid = Number(readFileIfAny(lock))
  if (Number.isInteger(pid) && pid > 0) return !processAlive(pid)
  try {
    return Date.now() - statSync(lock).mtimeMs > 1000
  } catch {
    return false
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
