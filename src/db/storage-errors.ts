import { ProblemError } from '../errors'

/** How long a client should wait before trying a refused write again, by what refused it. */
const RETRY_AFTER_SECONDS = { busy: 2, storage: 30 } as const

/** The SQLite result code behind an error: better-sqlite3 throws it as `code`, TypeORM wraps it in `driverError`. */
export function sqliteCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null
  const code = candidate?.driverError?.code ?? candidate?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

const isBusy = (code: string) => code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')

/** Why storage refused, in the words an operator acts on; undefined when it was not storage. */
export function storageReason(error: unknown): string | undefined {
  const code = sqliteCode(error)
  if (!code) return undefined
  if (isBusy(code)) return 'another process holds the database for writing'
  if (code === 'SQLITE_FULL') return 'the disk that holds the database is full'
  if (code.startsWith('SQLITE_READONLY')) return 'the database file or its folder is read-only'
  if (code.startsWith('SQLITE_IOERR')) return 'the disk that holds the database reports an I/O error'
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened for writing'
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'the database file is damaged'
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
  if (isBusy(sqliteCode(error)!)) {
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
