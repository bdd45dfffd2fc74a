import { ProblemError } from '../errors'

/**
 * What kind of refusal: `busy` (another process holds the write lock: try again in a moment), `storage` (the
 * disk or the database refuses writes: reads go on), `unreachable` (the server does not answer, or not in time:
 * nothing goes on until it is back).
 */
type Kind = 'busy' | 'storage' | 'unreachable'

/** How long a client should wait before sending a refused request again, by what refused it. */
const RETRY_AFTER_SECONDS: Record<Kind, number> = { busy: 2, storage: 30, unreachable: 5 }
const BUSY = 'another process holds the database for writing'
const LOST = 'the connection to the database server was lost'
const SILENT = 'the database server did not answer in time'

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
const SQLITE_REASONS: [test: (code: string) => boolean, reason: string, kind: Kind][] = [
  [(code) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'), BUSY, 'busy'],
  [(code) => code === 'SQLITE_FULL', 'the disk that holds the database is full', 'storage'],
  [(code) => code.startsWith('SQLITE_READONLY'), 'the database file or its folder is read-only', 'storage'],
  [(code) => code.startsWith('SQLITE_IOERR'), 'the disk that holds the database reports an I/O error', 'storage'],
  [(code) => code.startsWith('SQLITE_CANTOPEN'), 'the database file cannot be opened for writing', 'storage'],
  [(code) => code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB', 'the database file is damaged', 'storage'],
]

/** PostgreSQL's SQLSTATEs (and the socket errors of an unreachable server) that are storage's doing. */
const POSTGRES_REASONS: Record<string, [reason: string, kind: Kind]> = {
  '55P03': [BUSY, 'busy'], // lock_not_available: the write lock was not had within lock_timeout
  '53100': ['the disk that holds the database is full', 'storage'],
  '53200': ['the database server is out of memory', 'storage'],
  '25006': ['the database is read-only (a standby, or set read-only)', 'storage'],
  '58030': ['the disk that holds the database reports an I/O error', 'storage'],
  '42501': ['the database user may not write to the registry\'s tables', 'storage'],
  '53300': ['the database server has too many connections', 'unreachable'],
  '57014': [SILENT, 'unreachable'], // query_canceled: statement_timeout (or an administrator's cancel)
  '57P01': ['the database server is shutting down', 'unreachable'],
  '57P02': ['the database server is shutting down', 'unreachable'],
  '57P03': ['the database server is starting up or shutting down', 'unreachable'],
  '08000': [LOST, 'unreachable'],
  '08003': [LOST, 'unreachable'],
  '08006': [LOST, 'unreachable'],
  ECONNREFUSED: ['the database server does not answer', 'unreachable'],
  ECONNRESET: [LOST, 'unreachable'],
  EPIPE: [LOST, 'unreachable'],
  ETIMEDOUT: ['the database server does not answer', 'unreachable'],
  EHOSTUNREACH: ['the database server does not answer', 'unreachable'],
  ENOTFOUND: ['the database server\'s address does not resolve', 'unreachable'],
  EAI_AGAIN: ['the database server\'s address does not resolve', 'unreachable'],
}

/** What pg rejects with when a timeout of ours ran out or a connection ended: no code, only these words. */
const PG_MESSAGES: [pattern: RegExp, reason: string][] = [
  // query_timeout, connectionTimeoutMillis (connecting, or waiting for a pooled connection): postgres-store.ts.
  // Before the next: pg-pool reports a connect timeout as 'Connection terminated due to connection timeout'.
  [/Query read timeout|timeout exceeded when trying to connect|connection timeout|timeout expired/i, SILENT],
  [/Connection terminated|connection is closed|Client has encountered a connection error|Client was closed/i, LOST],
]

/** The app stopped waiting for a statement of a server that stopped answering, and closed its connection. */
export class StalledServerError extends Error {
  constructor(ms: number) {
    super(`The database server did not answer within ${ms} ms`)
    this.name = 'StalledServerError'
  }
}

function classify(error: unknown): { reason: string; kind: Kind } | undefined {
  if (error instanceof StalledServerError) return { reason: SILENT, kind: 'unreachable' }
  const code = sqliteCode(error)
  if (code) {
    const found = SQLITE_REASONS.find(([test]) => test(code))
    return found && { reason: found[1], kind: found[2] }
  }
  const sqlstate = postgresCode(error)
  if (sqlstate && Object.hasOwn(POSTGRES_REASONS, sqlstate)) {
    const [reason, kind] = POSTGRES_REASONS[sqlstate]
    return { reason, kind }
  }
  const candidate = error as { message?: unknown; driverError?: { message?: unknown } } | null
  const message = `${String(candidate?.message)} ${String(candidate?.driverError?.message)}`
  const found = PG_MESSAGES.find(([pattern]) => pattern.test(message))
  return found && { reason: found[1], kind: 'unreachable' }
}

/** Why storage refused, in the words an operator acts on; undefined when it was not storage. */
export function storageReason(error: unknown): string | undefined {
  return classify(error)?.reason
}

/**
 * Whether the database server is absent rather than refusing: it does not answer, not in time, is starting or
 * shutting down, or has no connection to spare. Start-up waits for such a server (Database.openPatiently).
 */
export function unreachable(error: unknown): boolean {
  return classify(error)?.kind === 'unreachable'
}

/** The 503 of a server that cannot be reached, for a read or a write. */
function unavailableProblem(reason: string, whatHappened: string): ProblemError {
  return new ProblemError('unavailable', `The registry cannot reach its database right now: ${reason}. ${whatHappened}Send the same request again later.`, undefined, {
    'retry-after': String(RETRY_AFTER_SECONDS.unreachable),
  })
}

/**
 * A write that storage refused, as the 503 a client can act on (docs/design.md §2, invariant 7): a lock another
 * process holds past the busy timeout, a full disk, a read-only file, a server that does not answer. Anything
 * else is not storage's doing and stays what it was (a bug is a 500, logged).
 */
export function storageProblem(error: unknown): ProblemError | undefined {
  const found = classify(error)
  if (!found) return undefined
  const retryAfter = { 'retry-after': String(RETRY_AFTER_SECONDS[found.kind]) }
  if (found.kind === 'busy') {
    return new ProblemError(
      'database-busy',
      'Another process holds the database for writing and did not let go in time. Nothing was saved; send the same request again.',
      undefined,
      retryAfter,
    )
  }
  if (found.kind === 'unreachable') return unavailableProblem(found.reason, 'Nothing was saved. ')
  return new ProblemError(
    'storage-unavailable',
    `The registry cannot save right now: ${found.reason}. Nothing was saved; reads still work. Send the same request again later.`,
    undefined,
    retryAfter,
  )
}

/** A read that storage could not answer (a server down, stalled or overloaded), as a 503 with Retry-After; else undefined. */
export function readProblem(error: unknown): ProblemError | undefined {
  const found = classify(error)
  return found && unavailableProblem(found.reason, '')
}
