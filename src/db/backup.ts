import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, statSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { withPgClient } from './pg-client'
import { dialectOf } from './dialect'

/**
 * Backups of either engine, taken while the API serves, and their restore.
 *
 * - SQLite: `VACUUM INTO`, which copies the database as one read transaction sees it: in WAL mode writers go
 *   on meanwhile, and the copy holds every write committed before it began and none after (unlike copying the
 *   file, which can catch a write half-way, or the page-by-page backup API, which starts over whenever
 *   another connection writes). The copy is one self-contained file, compacted.
 * - PostgreSQL: `pg_dump --format=custom`, also one consistent snapshot, restored by `pg_restore` into an
 *   empty database. Managed services add their own point-in-time recovery; a dump is what moves between them.
 */

/** Runs a PostgreSQL client program; its stderr becomes the error when it fails. */
async function run(program: string, args: string[]): Promise<void> {
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(`${program} is not installed: it comes with PostgreSQL's client programs (Debian: postgresql-client)`) : error),
    )
    child.on('close', resolve)
  })
  if (code !== 0) throw new Error(`${program} failed: ${stderr.trim()}`)
}

/** Writes a backup of the database at `location` to `file`, which must not exist yet. */
export async function backup(location: string, file: string): Promise<void> {
  if (existsSync(file)) throw new Error(`${file} exists already: a backup never overwrites a file`)
  if (dialectOf(location) === 'postgres') return run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${location}`])
  const database = new BetterSqlite3(location, { readonly: true, fileMustExist: true })
  try {
    database.prepare('VACUUM INTO ?').run(file)
  } finally {
    database.close()
  }
}

/** Whether a PostgreSQL database holds any table of its own (a restore goes only into an empty one). */
async function pgTables(url: string): Promise<number> {
  const { rows } = await withPgClient(url, (client) =>
    client.query<{ n: string }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"),
  )
  return Number(rows[0].n)
}

/**
 * Restores `file` (made by backup()) into `location`, which must be empty: a SQLite file that does not exist, or
 * a PostgreSQL database without tables. It never overwrites data: to replace a database, move it aside first.
 */
export async function restore(file: string, location: string): Promise<void> {
  if (!existsSync(file) || statSync(file).size === 0) throw new Error(`${file} is not a backup: it is missing or empty`)
  if (dialectOf(location) === 'postgres') {
    if ((await pgTables(location)) > 0) throw new Error('the target database holds tables already: restore into an empty database')
    return run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${location}`, file])
  }
  if (existsSync(location)) throw new Error(`${location} exists already: restore into a new file, or move it aside first`)
  const check = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    const result = check.pragma('integrity_check', { simple: true })
    if (result !== 'ok') throw new Error(`${file} is damaged: ${String(result)}`)
  } finally {
    check.close()
  }
  copyFileSync(file, location)
}
