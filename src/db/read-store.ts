import type { DataSource, EntityManager } from 'typeorm'
import type { Dialect } from './dialect'

/**
 * Hand-written reads (docs/design.md §6): SQL with `?` marks and quoted camelCase aliases, the same text on both
 * engines (dialect.ts holds the few words that differ). Counts and sums come back as numbers on both.
 */
export interface Reads {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>
}

/** Reads of one consistent snapshot: every query sees the database as it was when the first one ran. */
export interface SnapshotReads extends Reads {
  /** Rows one at a time (fetched in batches), never all in memory: exports, the audit. */
  iterate<T>(sql: string, params?: readonly unknown[]): AsyncGenerator<T, void, undefined>
}

/** What each engine provides to Database (database.ts): reads, snapshots, and its write transaction. */
export interface Store extends Reads {
  readonly dialect: Dialect
  snapshot<T>(work: (reads: SnapshotReads) => Promise<T>): Promise<T>
  /** One query's rows, streamed from a snapshot of its own that ends with the iteration (or its abandonment). */
  iterate<T>(sql: string, params?: readonly unknown[]): AsyncGenerator<T, void, undefined>
  /**
   * Runs `work` in a write transaction that holds the engine's write lock from its first statement to its
   * end, waiting at most `lockTimeoutMs` for it; committed (rolled back when `dryRun`) before it resolves.
   */
  transact<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, lockTimeoutMs: number, dryRun: boolean): Promise<T>
  /** A real write that changes nothing, rolled back or harmless: whether storage takes writes now. */
  probeWrite(manager: EntityManager): Promise<void>
  /**
   * Runs the pending migrations while holding the write lock every write takes, each statement waiting at most
   * `lockTimeoutMs` for a table another connection holds; a lock not had in time rejects (migrate.ts tries again).
   */
  migrate(dataSource: DataSource, lockTimeoutMs: number): Promise<void>
  /** Runs `sql` on the read connections and on those writes use; rejects when either does not answer within `timeoutMs`. */
  ping(dataSource: DataSource, sql: string, timeoutMs: number): Promise<void>
  /** Runs `work` while holding a lock that every instance on this database respects (start-up: migrate, seed). */
  exclusively<T>(work: () => Promise<T>): Promise<T>
  close(): Promise<void>
}
