import { Pool, type PoolClient, type QueryConfig, types } from 'pg'
import { type DataSource, type EntityManager, MigrationExecutor, type QueryRunner } from 'typeorm'
import { numberedParams } from './dialect'
import type { SnapshotReads, Store } from './read-store'
import { StalledServerError } from './storage-errors'
import { DEFAULT_TIMEOUTS, STALLED_GRACE_MS, type StorageTimeouts } from './timeouts'

/** Rows a snapshot's iteration fetches at a time: a few hundred read documents in memory, not 100,000. */
const BATCH = 500

/**
 * Keys of the advisory locks every instance on the database takes (pg_advisory_xact_lock, pg_advisory_lock):
 * any two numbers the registry's own, the same in every instance.
 */
const WRITE_LOCK = 7_301_751
const SETUP_LOCK = 7_301_752

/**
 * COUNT and SUM come back as int8 (and SUM of int8 as numeric), which pg hands over as strings so as not to
 * round numbers above 2^53: the registry's counts are far below, and are numbers on SQLite.
 */
const parsers = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === types.builtins.INT8 || oid === types.builtins.NUMERIC ? (value: string) => Number(value) : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
}

/**
 * PostgreSQL through pg: reads from a pool of connections, each query on its own (READ COMMITTED, like
 * SQLite's committed reads); snapshots in a REPEATABLE READ transaction, streamed through a cursor.
 *
 * Writes from every instance take one advisory lock for the whole transaction. Registry writes are few (people
 * typing), and one writer at a time keeps what SQLite gave for free: a PATCH racing another one with the same
 * If-Match reads the winner's ETag once it has the lock and answers 412, never a duplicate-key 500; and
 * revisions are numbered in commit order, so a client polling the change feed with `since=` cannot miss a
 * change that another instance committed after a later-numbered one.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const
  private readonly pool: Pool
  /** How long a statement is waited for: the server's own limit, and a moment for it to say so. */
  private readonly patienceMs: number

  constructor(
    url: string,
    private readonly timeouts: StorageTimeouts = DEFAULT_TIMEOUTS,
  ) {
    this.pool = new Pool({ connectionString: url, max: 10, types: parsers, application_name: 'registry', connectionTimeoutMillis: timeouts.connectMs })
    // An idle connection the server closed (a restart, a failover) is dropped from the pool; the next query opens another.
    this.pool.on('error', () => undefined)
    this.patienceMs = timeouts.statementMs + STALLED_GRACE_MS
  }

  /**
   * One statement on a pooled connection. Not limited on the server (statement_timeout would be a setting of the
   * pooled connection, and `exclusively` waits on one for as long as another instance migrates): the app stops
   * waiting, and the pool closes the connection.
   */
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(timed(numberedParams(sql), params, this.patienceMs))).rows as T[]
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0]
  }

  async snapshot<T>(work: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken: Error | undefined
    try {
      const reads = await this.beginSnapshot(client)
      const result = await work(reads)
      await client.query(timed('COMMIT', [], this.patienceMs))
      return result
    } catch (error) {
      // Nothing to undo in a read-only transaction: the connection is closed (released with the error), which ends it,
      // rather than sent a ROLLBACK that a stalled server would keep waiting.
      broken = error as Error
      throw error
    } finally {
      client.release(broken)
    }
  }

  async *iterate<T>(sql: string, params: readonly unknown[] = []): AsyncGenerator<T, void, undefined> {
    const client = await this.pool.connect()
    let open = false
    let broken: Error | undefined
    try {
      const reads = await this.beginSnapshot(client)
      open = true
      yield* reads.iterate<T>(sql, params)
      await client.query(timed('COMMIT', [], this.patienceMs))
      open = false
    } catch (error) {
      broken = error as Error
      throw error
    } finally {
      // Abandoned by its reader (a client that disconnected): the read-only transaction is ended here. Failed: the
      // connection is closed instead (above).
      if (open && !broken) await client.query(timed('ROLLBACK', [], this.patienceMs)).catch(() => undefined)
      client.release(broken)
    }
  }

  /** A REPEATABLE READ transaction on `client`, each of its statements limited on the server and waited for as long. */
  private async beginSnapshot(client: PoolClient): Promise<SnapshotReads> {
    await client.query(timed('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', [], this.patienceMs))
    await client.query(timed("SELECT set_config('statement_timeout', $1, true)", [String(this.timeouts.statementMs)], this.patienceMs))
    return snapshotReads(client, this.patienceMs)
  }

  async transact<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun: boolean): Promise<T> {
    const runner = dataSource.createQueryRunner()
    const watch = await watchStatements(runner, Math.max(lockTimeoutMs, this.timeouts.statementMs) + STALLED_GRACE_MS)
    try {
      await runner.startTransaction('READ COMMITTED')
      // How long this transaction waits for any lock, the write lock first (then 55P03), and how long any of its
      // statements may run (then 57014): both a 503 (storage-errors.ts).
      await runner.query("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)", [
        String(Math.max(1, Math.round(lockTimeoutMs))),
        String(this.timeouts.statementMs),
      ])
      await runner.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK])
      const result = await work(runner.manager)
      if (dryRun) await runner.rollbackTransaction()
      else await runner.commitTransaction()
      return result
    } catch (error) {
      if (watch.gaveUp) throw watch.gaveUp
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined)
      throw error
    } finally {
      await runner.release()
    }
  }

  /** A transaction id is given only to a transaction that may write: a standby refuses it. */
  async probeWrite(manager: EntityManager): Promise<void> {
    await manager.query('SELECT txid_current()')
    // A server or database set read-only (default_transaction_read_only) still hands out ids, but refuses any
    // statement that would write, even one that changes no row; so does a user without the right to write.
    await manager.query('UPDATE derived_versions SET version = version WHERE FALSE')
  }

  async ping(dataSource: DataSource, sql: string, timeoutMs: number): Promise<void> {
    await this.pool.query(timed(sql, [], timeoutMs))
    const runner = dataSource.createQueryRunner()
    try {
      const watch = await watchStatements(runner, timeoutMs)
      await runner.query(sql).catch((error) => {
        throw watch.gaveUp || error
      })
    } finally {
      await runner.release()
    }
  }

  /**
   * The migrations on one connection that holds the write lock (a session lock on WRITE_LOCK, which every
   * write's transaction lock waits for): instances of the previous version that serve meanwhile queue their
   * writes behind it (503 after their lock timeout) instead of holding row locks on the tables an ALTER TABLE
   * needs while it holds locks they need: a deadlock, which failed 3 upgrades in 4 under writes (issue 23).
   * lock_timeout bounds every wait, the lock's included: a read that holds a table (an export) makes the
   * migration fail and roll back, to be tried again, rather than stall every query queued behind it.
   */
  async migrate(dataSource: DataSource, lockTimeoutMs: number): Promise<void> {
    const runner = dataSource.createQueryRunner()
    try {
      await runner.query(`SET lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`)
      await runner.query('SELECT pg_advisory_lock($1)', [WRITE_LOCK])
      try {
        const executor = new MigrationExecutor(dataSource, runner)
        executor.transaction = 'each'
        await executor.executePendingMigrations()
      } finally {
        // A lost connection released it already.
        await runner.query('SELECT pg_advisory_unlock($1)', [WRITE_LOCK]).catch(() => undefined)
      }
    } finally {
      await runner.query('RESET lock_timeout').catch(() => undefined)
      await runner.release()
    }
  }

  /** Two instances started at once migrate and seed one after the other, not both at the same time. */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK])
      try {
        return await work()
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK])
      }
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }
}

/** A query that pg stops waiting for after `ms` (its query_timeout, which @types/pg declares only per client). */
function timed(text: string, values: readonly unknown[], ms: number): QueryConfig {
  return { text, values: values as unknown[], query_timeout: ms } as QueryConfig
}

/** Names of the snapshots' cursors: unique within a connection's transaction is enough. */
let cursors = 0

function snapshotReads(client: PoolClient, patienceMs: number): SnapshotReads {
  // Once a statement failed (the transaction is aborted) or was given up on (pg still waits for its answer), the
  // connection takes nothing more: the snapshot is closed with it.
  let failed = false
  const query = async <R>(sql: string, params: readonly unknown[] = []) => {
    try {
      return (await client.query(timed(sql, params, patienceMs))).rows as R[]
    } catch (error) {
      failed = true
      throw error
    }
  }
  const all = <R>(sql: string, params: readonly unknown[] = []) => query<R>(numberedParams(sql), params)
  return {
    all,
    get: async <R>(sql: string, params: readonly unknown[] = []) => (await all<R>(sql, params))[0],
    async *iterate<R>(sql: string, params: readonly unknown[] = []) {
      // A cursor of the transaction (DECLARE, then FETCH a batch at a time), not a portal of the protocol left
      // suspended between batches (pg-cursor): pg sends nothing else on the connection while a portal is open, so the
      // audit, which reads a source's text between two batches of citations, waited for itself for ever once there
      // were more citations than one batch. Here any query of the snapshot may run between two FETCHes.
      const cursor = `snapshot_cursor_${++cursors}`
      await query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${numberedParams(sql)}`, params)
      try {
        for (let rows = await query<R>(`FETCH ${BATCH} FROM ${cursor}`); rows.length > 0; rows = await query<R>(`FETCH ${BATCH} FROM ${cursor}`)) yield* rows
      } finally {
        if (!failed) await query(`CLOSE ${cursor}`)
      }
    },
  }
}

/**
 * Gives up on any statement of `runner` that has had no answer after `ms`: closes its connection, which rejects
 * the statement (the pool then drops the connection, and PostgreSQL rolls back what the transaction did). A live
 * server ends a statement itself before (statement_timeout, lock_timeout); this is for one that stopped answering.
 * `gaveUp` is then the error to report, in place of the closed connection's.
 */
async function watchStatements(runner: QueryRunner, ms: number): Promise<{ gaveUp: Error | undefined }> {
  const connection = (await runner.connect()) as PoolClient
  const watch: { gaveUp: Error | undefined } = { gaveUp: undefined }
  const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>
  const watched = (sql: string, parameters?: unknown[], structured?: boolean) => {
    const timer = setTimeout(() => {
      watch.gaveUp = new StalledServerError(ms)
      connection.end().catch(() => undefined)
    }, ms)
    return query(sql, parameters, structured).finally(() => clearTimeout(timer))
  }
  Object.assign(runner, { query: watched })
  return watch
}
