import { isIP } from 'node:net'
import path from 'node:path'
import { DEFAULT_TIMEOUTS, type StorageTimeouts } from './db/timeouts'
import { DEFAULT_CAPTURE_SETTINGS, type CaptureSettings } from './core/capture/fetch-page'

export interface Config {
  host: string
  port: number
  /**
   * Where the data lives: a PostgreSQL URL (DATABASE_URL, postgres://…) or else a SQLite file (DATABASE_PATH);
   * created (SQLite), migrated and seeded on first start.
   */
  database: string
  /**
   * How long the database may keep a request waiting before it is answered 503 (src/db/timeouts.ts):
   * DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS, DATABASE_LOCK_TIMEOUT_MS.
   */
  databaseTimeouts: StorageTimeouts
  /** How long start-up waits for a database that does not answer yet, trying again, before it exits 1 (DATABASE_START_WAIT_MS). */
  databaseStartWaitMs: number
  logLevel: string
  /** Largest request body accepted, in bytes; larger ones get 413. */
  bodyLimit: number
  /** Seed the 14 records of docs/design.md §5 when the database holds no record yet. */
  seedOnStart: boolean
  /** Writes one API key may make per minute (429 beyond). */
  writesPerMinute: number
  /** Failed authentications one address may make per 15 minutes (429 beyond). */
  authFailuresPer15Minutes: number
  /** Time a client has to send a whole request, headers and body, in ms (408 beyond). */
  requestTimeoutMs: number
  /** Time in-flight requests get to finish after SIGTERM/SIGINT, in ms; the process exits when it is over. */
  shutdownTimeoutMs: number
  /**
   * Which proxies in front are trusted to say the client's address (X-Forwarded-For), for the per-address limit
   * on failed authentications: false (none, the default), true (every hop), a number of hops, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string[]
  /**
   * Webhooks: addresses and CIDR ranges they may reach although loopback, private or link-local
   * (WEBHOOK_ALLOW_PRIVATE, none by default), the time a receiver has to answer (WEBHOOK_TIMEOUT_MS), the wait
   * before the first retry, doubled on each further one (WEBHOOK_RETRY_BASE_MS), and the attempts before a
   * delivery is given up (WEBHOOK_MAX_ATTEMPTS).
   */
  webhooks: { allowPrivate: string[]; timeoutMs: number; retryBaseMs: number; maxAttempts: number }
  /**
   * Capturing a source from its address (src/core/capture): addresses and CIDR ranges it may fetch although
   * loopback, private or link-local (CAPTURE_ALLOW_PRIVATE, none by default), the time the whole fetch has,
   * redirects included (CAPTURE_TIMEOUT_MS), the bytes read from the wire (CAPTURE_MAX_BYTES) and once decompressed
   * (CAPTURE_MAX_DECODED_BYTES), and the redirects followed (CAPTURE_MAX_REDIRECTS).
   */
  capture: CaptureSettings
  /**
   * The secret the public's pseudonyms of volunteers and editors are made with (ACTOR_PSEUDONYM_SECRET, at least 32
   * characters); unset, the one generated into the database when it was made, shared by every instance on it.
   */
  actorPseudonymSecret?: string
  /**
   * The Ed25519 key history checkpoints are signed with (docs/design.md §10): HISTORY_SIGNING_KEY (PKCS #8 PEM, `\n`
   * allowed for line breaks), else the file HISTORY_SIGNING_KEY_FILE (default: history-signing-key.pem beside the SQLite file), generated
   * there and printed on the first start. Never kept in the database, which it vouches for.
   */
  historySigningKey?: string
  historySigningKeyFile: string
  /** What one spreadsheet import (POST /v1/imports) may hold: its file's bytes (IMPORT_MAX_BYTES) and rows (IMPORT_MAX_ROWS). */
  imports: { maxBytes: number; maxRows: number }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`)
  }
  return value
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false
  throw new Error(`${name} must be true or false, not "${raw}"`)
}

// Names proxy-addr (Fastify's trustProxy) understands besides addresses and CIDR ranges.
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal']

function trustProxy(env: NodeJS.ProcessEnv): Config['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim()
  if (raw === '' || raw.toLowerCase() === 'false') return false
  if (raw.toLowerCase() === 'true') return true
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 1, 100)
  const entries = raw.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/')
    const version = isIP(address)
    const validPrefix = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32))
    if (!PROXY_NAMES.includes(entry) && (version === 0 || !validPrefix || rest.length > 0)) {
      throw new Error(`TRUST_PROXY must be true, false, a number of hops, or proxy addresses or CIDR ranges separated by commas; "${entry}" is none of these`)
    }
  }
  return entries
}

/** Addresses or CIDR ranges, separated by commas. */
function addressList(env: NodeJS.ProcessEnv, name: string): string[] {
  const raw = (env[name] ?? '').trim()
  if (raw === '') return []
  const entries = raw.split(',').map((entry) => entry.trim())
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/')
    const version = isIP(address)
    const validPrefix = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32))
    if (version === 0 || !validPrefix || rest.length > 0) {
      throw new Error(`${name} must be IP addresses or CIDR ranges separated by commas; "${entry}" is neither`)
    }
  }
  return entries
}

/** DATABASE_URL when set (PostgreSQL), otherwise the SQLite file at DATABASE_PATH. */
function databaseLocation(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/name), not "${url.replace(/:[^:@/]*@/, ':***@')}"`)
    return url
  }
  return path.resolve(env.DATABASE_PATH || 'data/registry.sqlite')
}

/** Short secrets can be guessed, and with one every pseudonym leads back to its key. */
const MIN_SECRET_LENGTH = 32

function pseudonymSecret(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.ACTOR_PSEUDONYM_SECRET
  if (raw === undefined || raw === '') return undefined
  if (raw.length < MIN_SECRET_LENGTH) throw new Error(`ACTOR_PSEUDONYM_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`)
  return raw
}

/** Reads the environment once, at start, and fails with a message that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`)
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    database: databaseLocation(env),
    databaseTimeouts: {
      connectMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_TIMEOUTS.connectMs, 100, 600_000),
      statementMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_TIMEOUTS.statementMs, 100, 3_600_000),
      lockMs: integer(env, 'DATABASE_LOCK_TIMEOUT_MS', DEFAULT_TIMEOUTS.lockMs, 1, 600_000),
    },
    databaseStartWaitMs: integer(env, 'DATABASE_START_WAIT_MS', 60_000, 0, 3_600_000),
    logLevel,
    bodyLimit: integer(env, 'BODY_LIMIT', 2 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    seedOnStart: boolean(env, 'SEED_ON_START', true),
    writesPerMinute: integer(env, 'WRITE_RATE_LIMIT', 120, 1, 1_000_000),
    authFailuresPer15Minutes: integer(env, 'AUTH_FAILURE_LIMIT', 20, 1, 1_000_000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000),
    imports: {
      maxBytes: integer(env, 'IMPORT_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxRows: integer(env, 'IMPORT_MAX_ROWS', 10_000, 1, 1_000_000),
    },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    trustProxy: trustProxy(env),
    actorPseudonymSecret: pseudonymSecret(env),
    historySigningKey: env.HISTORY_SIGNING_KEY || undefined,
    // Beside the SQLite file (the folder an operator backs up and looks in), or data/ for PostgreSQL.
    historySigningKeyFile: path.resolve(env.HISTORY_SIGNING_KEY_FILE || path.join(path.dirname(path.resolve(env.DATABASE_PATH || 'data/registry.sqlite')), 'history-signing-key.pem')),
    webhooks: {
      allowPrivate: addressList(env, 'WEBHOOK_ALLOW_PRIVATE'),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      retryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 10, 3_600_000),
      maxAttempts: integer(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 50),
    },
    capture: {
      allowPrivate: addressList(env, 'CAPTURE_ALLOW_PRIVATE'),
      allowPublic: boolean(env, 'CAPTURE_ALLOW_PUBLIC', DEFAULT_CAPTURE_SETTINGS.allowPublic),
      timeoutMs: integer(env, 'CAPTURE_TIMEOUT_MS', DEFAULT_CAPTURE_SETTINGS.timeoutMs, 100, 120_000),
      maxBytes: integer(env, 'CAPTURE_MAX_BYTES', DEFAULT_CAPTURE_SETTINGS.maxBytes, 1024, 100 * 1024 * 1024),
      maxDecodedBytes: integer(env, 'CAPTURE_MAX_DECODED_BYTES', DEFAULT_CAPTURE_SETTINGS.maxDecodedBytes, 1024, 200 * 1024 * 1024),
      maxRedirects: integer(env, 'CAPTURE_MAX_REDIRECTS', DEFAULT_CAPTURE_SETTINGS.maxRedirects, 0, 20),
    },
  }
}
