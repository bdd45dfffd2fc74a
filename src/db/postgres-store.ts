import { Pool, type PoolClient, types } from 'pg'
import Cursor from 'pg-cursor'
import { type DataSource, type EntityManager, MigrationExecutor } from 'typeorm'
import { numberedParams } from './dialect'
import type { SnapshotReads, Store } from './read-store'

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

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 10, types: parsers, application_name: 'registry' })
    // An idle connection the server closed (a restart, a failover) is dropped from the pool; the next query opens another.
    this.pool.on('error', () => undefined)
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(numberedParams(sql), params as unknown[])).rows as T[]
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0]
  }

  async snapshot<T>(work: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken: Error | undefined
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const result = await work(snapshotReads(client))
      await client.query('COMMIT')
      return result
    } catch (error) {
      broken = error as Error
      await client.query('ROLLBACK').catch(() => undefined)
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
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      open = true
      yield* snapshotReads(client).iterate<T>(sql, params)
      await client.query('COMMIT')
      open = false
    } catch (error) {
      broken = error as Error
      throw error
    } finally {
      // Failed, or abandoned by its reader (a client that disconnected): the read-only transaction is ended here.
      if (open) await client.query('ROLLBACK').catch(() => undefined)
      client.release(broken)
    }
  }

  async transact<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun: boolean): Promise<T> {
    const runner = dataSource.createQueryRunner()
    try {
      await runner.startTransaction('READ COMMITTED')
      // How long this transaction waits for any lock, the write lock first: then 55P03, a 503 (storage-errors.ts).
      await runner.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`)
      await runner.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK])
      const result = await work(runner.manager)
      if (dryRun) await runner.rollbackTransaction()
      else await runner.commitTransaction()
      return result
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined)
      throw error
    } finally {
      await runner.release()
    }
  }

  /** A transaction id is given only to a transaction that may write: a standby or a read-only server refuses it. */
  async probeWrite(manager: EntityManager): Promise<void> {
    await manager.query('SELECT txid_current()')
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

function snapshotReads(client: PoolClient): SnapshotReads {
  const all = async <R>(sql: string, params: readonly unknown[] = []) => (await client.query(numberedParams(sql), params as unknown[])).rows as R[]
  return {
    all,
    get: async <R>(sql: string, params: readonly unknown[] = []) => (await all<R>(sql, params))[0],
    async *iterate<R>(sql: string, params: readonly unknown[] = []) {
      // A named portal of its own: other queries of the snapshot may run between its batches.
      const cursor = client.query(new Cursor<R>(numberedParams(sql), params as unknown[], { types: parsers }))
      try {
        for (let rows = await cursor.read(BATCH); rows.length > 0; rows = await cursor.read(BATCH)) yield* rows
      } finally {
        await cursor.close()
      }
    },
  }
}
