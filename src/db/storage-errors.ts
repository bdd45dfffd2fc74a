import { ProblemError } from '../errors'

/** How long a client should wait before trying a refused write again, by what refused it. */
const RETRY_AFTER_SECONDS = { busy: 2, storage: 30 } as const
const BUSY = 'another process holds the database for writing'

/** The SQLite result code behind an error: better-sqlite3 throws it as `code`, TypeORM wraps it in `driverError`. */
export function sqliteCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null
  const code = candidate?.driverError?.code ?? candidate?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

/** The SQLSTATE of a PostgreSQL error (pg throws it as `code`, TypeORM wraps it in `driverError`), or a socket error's code. */
export function postgresCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null
  const code = candidate?.driverError?.code ?? candidate?.code
  return typeof code === 'string' && !code.startsWith('SQLITE_') ? code : undefined
}

/** The engine's reason, by its code. */
const SQLITE_REASONS: [test: (code: string) => boolean, reason: string][] = [
  [(code) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'), BUSY],
  [(code) => code === 'SQLITE_FULL', 'the disk that holds the database is full'],
  [(code) => code.startsWith('SQLITE_READONLY'), 'the database file or its folder is read-only'],
  [(code) => code.startsWith('SQLITE_IOERR'), 'the disk that holds the database reports an I/O error'],
  [(code) => code.startsWith('SQLITE_CANTOPEN'), 'the database file cannot be opened for writing'],
  [(code) => code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB', 'the database file is damaged'],
]

/** PostgreSQL's SQLSTATEs (and the socket errors of an unreachable server) that are storage's doing. */
const POSTGRES_REASONS: Record<string, string> = {
  '55P03': BUSY, // lock_not_available: the write lock was not had within lock_timeout
  '53100': 'the disk that holds the database is full',
  '53200': 'the database server is out of memory',
  '53300': 'the database server has too many connections',
  '25006': 'the database is read-only (a standby, or set read-only)',
  '57P01': 'the database server is shutting down',
  '57P02': 'the database server is shutting down',
  '57P03': 'the database server is starting up or shutting down',
  '58030': 'the disk that holds the database reports an I/O error',
  '08000': 'the connection to the database server was lost',
  '08003': 'the connection to the database server was lost',
  '08006': 'the connection to the database server was lost',
  ECONNREFUSED: 'the database server does not answer',
  ECONNRESET: 'the connection to the database server was lost',
  ETIMEDOUT: 'the database server does not answer',
  ENOTFOUND: 'the database server\'s address does not resolve',
}

/** Why storage refused, in the words an operator acts on; undefined when it was not storage. */
export function storageReason(error: unknown): string | undefined {
  const code = sqliteCode(error)
  if (code) return SQLITE_REASONS.find(([test]) => test(code))?.[1]
  const sqlstate = postgresCode(error)
  if (sqlstate && Object.hasOwn(POSTGRES_REASONS, sqlstate)) return POSTGRES_REASONS[sqlstate]
  // pg rejects a query on a connection that ended without a code of its own.
  if (/Connection terminated|connection is closed|Client has encountered a connection error/i.test(String((error as Error | null)?.message))) {
    return 'the connection to the database server was lost'
  }
  return undefined
}

/**
 * A write that storage refused, as the 503 a client can act on (DESIGN.md §2, invariant 7): a lock another
 * process holds past the busy timeout, a full disk, a read-only file. Anything else is not storage's doing
 * and stays what it was (a bug is a 500, logged).
 */
export function storageProblem(error: unknown): ProblemError | undefined {
  const reason = storageReason(error)
  if (!reason) return undefined
  if (reason === BUSY) {
    return new ProblemError(
      'database-busy',
      'Another process holds the database for writing and did not let go in time. Nothing was saved; send the same request again.',
      undefined,
      { 'retry-after': String(RETRY_AFTER_SECONDS.busy) },
    )
  }
  return new ProblemError(
    'storage-unavailable',
    `The registry cannot save right now: ${reason}. Nothing was saved; reads still work. Send the same request again later.`,
    undefined,
    { 'retry-after': String(RETRY_AFTER_SECONDS.storage) },
  )
}
