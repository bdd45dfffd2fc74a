import type { Client } from 'pg'
import { Database } from '../src/db/database'
import { copyRows, ident } from '../src/db/copy-to-postgres'
import { withPgClient } from '../src/db/pg-client'
import { BuildStats } from './build'

/**
 * The benchmark's PostgreSQL database: the same records as the cached SQLite one, copied row for row (the
 * SQLite database is built through the real write path; copying its rows gives PostgreSQL the very same ids,
 * documents, ETags and name keys, and takes minutes rather than another build).
 *
 * The copy is cached in the database named by BENCH_DATABASE_URL (registry_bench by default), marked in a
 * table of its own, `bench_meta`, with the data set version, the record count and when the SQLite database
 * was built; BENCH_REBUILD=1 copies again. Each run works on a clone of it (CREATE DATABASE … TEMPLATE), as
 * the SQLite run works on a copy of its file: the create scenario adds records.
 */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/registry_bench'

export interface PostgresCopy {
  /** The cached database (the template of each run's clone). */
  url: string
  /** False when the cached copy was used. */
  copied: boolean
  rows: number
  seconds: number
  copiedAt: string
  server: { version: string; sharedBuffers: string; maxConnections: string }
}

/** The URL with another database name (the server's `postgres` database, a run's clone). */
export const withDatabase = (url: string, name: string) => {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(name)}`
  return parsed.toString()
}
const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1))

/** The URL as it may be printed: without its password. */
export function shownUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

const connected = <T>(url: string, work: (client: Client) => Promise<T>) => withPgClient(url, work, 'registry-bench')

/** Null when the PostgreSQL server of `url` answers (on its `postgres` database), else why not. */
export async function postgresUnreachable(url: string): Promise<string | null> {
  try {
    await connected(withDatabase(url, 'postgres'), (client) => client.query('SELECT 1'))
    return null
  } catch (error) {
    return (error as Error).message || String(error)
  }
}

/**
 * The cached PostgreSQL copy of the SQLite benchmark database, made if missing or stale. `stats` are the
 * SQLite build's: a copy made from another build (another data set, count, or a rebuild) is made again.
 */
export async function ensurePostgres(sqliteFile: string, stats: BuildStats, url: string, log: (line: string) => void): Promise<PostgresCopy> {
  const name = databaseName(url)
  const marker = `${stats.datasetVersion} ${stats.records} ${stats.builtAt}`
  const admin = withDatabase(url, 'postgres')
  const server = await connected(admin, async (client) => {
    const setting = async (s: string) => (await client.query<{ v: string }>(`SELECT current_setting('${s}') AS v`)).rows[0].v
    return { version: await setting('server_version'), sharedBuffers: await setting('shared_buffers'), maxConnections: await setting('max_connections') }
  })
  const exists = await connected(admin, async (client) => ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0)

  if (exists && process.env.BENCH_REBUILD !== '1') {
    const meta = await connected(url, async (client) => {
      try {
        const rows = (await client.query<{ key: string; value: string }>('SELECT key, value FROM bench_meta')).rows
        return Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<string, string>
      } catch {
        return {}
      }
    })
    if (meta.source === marker && meta.copy) {
      // Opening runs any migration added since the copy was made, once, here (as for the SQLite cache).
      const database = await Database.open(url)
      await database.close()
      const copy = JSON.parse(meta.copy) as { rows: number; seconds: number; copiedAt: string }
      return { url, copied: false, server, ...copy }
    }
  }

  log(`Copying the SQLite database into PostgreSQL ${shownUrl(url)} ...`)
  const started = Date.now()
  await connected(admin, async (client) => {
    if (exists) await client.query(`DROP DATABASE ${ident(name)} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${ident(name)}`)
  })
  // The real migrations make the schema (COLLATE "C" text columns and all), then the rows are copied into it.
  const database = await Database.open(url)
  await database.close()
  const rows = await connected(url, async (client) => {
    await client.query('SET synchronous_commit = off')
    await client.query("SET maintenance_work_mem = '256MB'")
    const copied = await copyRows(sqliteFile, client, log)
    // Statistics for the planner, and the visibility map, now rather than by autovacuum during a scenario.
    await client.query('VACUUM (ANALYZE)')
    return copied
  })
  const seconds = (Date.now() - started) / 1000
  const copiedAt = new Date().toISOString()
  await connected(url, async (client) => {
    await client.query('CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)')
    await client.query('INSERT INTO bench_meta (key, value) VALUES ($1, $2), ($3, $4)', ['source', marker, 'copy', JSON.stringify({ rows, seconds, copiedAt })])
  })
  return { url, copied: true, rows, seconds, copiedAt, server }
}

/** Whether another process of this id runs (a clone named after it is in use). */
function running(pid: number): boolean {
  if (!Number.isInteger(pid) || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const RUN_PREFIX = (name: string) => `${name}_run_`

/**
 * A clone of the cached database for one run (the create scenario adds records to it), and how to drop it.
 * Clones left by runs that died (their process is gone) are dropped first.
 */
export async function cloneForRun(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = databaseName(url)
  const runName = `${RUN_PREFIX(name)}${process.pid}`
  const admin = withDatabase(url, 'postgres')
  await connected(admin, async (client) => {
    const leftovers = (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [RUN_PREFIX(name)])).rows
    for (const { datname } of leftovers) {
      const pid = Number(datname.slice(RUN_PREFIX(name).length))
      if (!running(pid)) await client.query(`DROP DATABASE ${ident(datname)} WITH (FORCE)`)
    }
    // FILE_COPY: the files copied as they are, after a checkpoint (no gigabytes of WAL), and on disk before any load.
    await client.query(`CREATE DATABASE ${ident(runName)} TEMPLATE ${ident(name)} STRATEGY FILE_COPY`)
  })
  return {
    url: withDatabase(url, runName),
    drop: () => connected(admin, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${ident(runName)} WITH (FORCE)`))),
  }
}
