/**
 * How long storage may keep a request waiting, in ms: DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS
 * and DATABASE_LOCK_TIMEOUT_MS (src/config.ts, docs/deploy.md). Past them the request is answered 503 with
 * Retry-After, and the next one starts clean.
 */
export interface StorageTimeouts {
  /** PostgreSQL: opening a connection, or waiting for a free one of the pool. */
  connectMs: number
  /**
   * PostgreSQL: one statement of a request. The server is told (statement_timeout, in write transactions and
   * snapshots), and the app stops waiting a moment later (STALLED_GRACE_MS) for a server that stopped answering
   * and so cannot cancel anything itself. Migrations at start-up are not limited.
   */
  statementMs: number
  /** Both engines: a write waiting for the write lock that another process holds. */
  lockMs: number
}

export const DEFAULT_TIMEOUTS: StorageTimeouts = { connectMs: 5_000, statementMs: 10_000, lockMs: 5_000 }

/**
 * How much longer than the server's own limit the app waits for an answer: a live server cancels the statement
 * itself within its limit (a clean error, the connection kept); only a stalled one (a stopped process, a network
 * that drops packets) is given up on by the app, which then closes the connection.
 */
export const STALLED_GRACE_MS = 1_000
