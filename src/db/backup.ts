import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
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
 *
 * A file is written whole or not at all: under a temporary name beside it, synced, then given its name.
 */

/** Files being written and client programs running, for abandon(). */
const unfinished = { files: new Set<string>(), programs: new Set<ChildProcess>() }

/**
 * Stops what a backup or restore of this process has under way and removes its temporary file: for a signal
 * that ends the process half-way (a terminal's Ctrl-C, a service manager's SIGTERM).
 */
export function abandon(): void {
  for (const program of unfinished.programs) program.kill('SIGTERM')
  for (const file of unfinished.files) rmSync(file, { force: true })
}

/** Parameters of node-postgres that libpq does not know and refuses ("invalid URI query parameter"). */
const NODE_POSTGRES_ONLY = new Set(['uselibpqcompat', 'ssl'])

/**
 * A PostgreSQL URL as libpq's programs take it: the URL without its password, which goes in PGPASSWORD instead,
 * since a program's arguments are readable by every user of the machine (ps, /proc/<pid>/cmdline) and its
 * environment only by its owner.
 */
export function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url)
  const password = decodeURIComponent(parsed.password)
  parsed.password = ''
  // Filtered by hand: URLSearchParams would write the others back form-encoded, and libpq reads no '+' as a space.
  const query = parsed.search.slice(1).split('&').filter((pair) => pair && !NODE_POSTGRES_ONLY.has(decodeURIComponent(pair.split('=')[0])))
  parsed.search = query.length ? `?${query.join('&')}` : ''
  return { dbname: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env }
}

/** Runs a PostgreSQL client program on `url`; its stderr becomes the error when it fails. */
async function run(program: string, url: string, args: string[]): Promise<void> {
  const { dbname, env } = libpqConnection(url)
  const child = spawn(program, [`--dbname=${dbname}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env })
  unfinished.programs.add(child)
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(`${program} is not installed: it comes with PostgreSQL's client programs (Debian: postgresql-client)`) : error),
      )
      child.on('close', resolve)
    })
    if (code !== 0) throw new Error(`${program} failed: ${stderr.trim() || `stopped (${child.signalCode ?? code})`}`)
  } finally {
    unfinished.programs.delete(child)
  }
}

/** Flushes a file (or a folder's entries) to the disk. */
function fsyncPath(target: string) {
  const fd = openSync(target, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes `file` through `write`, which gets a temporary path beside it: `file` appears only once whole and on the
 * disk, and never replaces a file of that name. On any failure nothing is left, so the same name can be tried again.
 */
async function writeWhole(file: string, write: (temporary: string) => Promise<void> | void): Promise<void> {
  if (existsSync(file)) throw new Error(`${file} exists already: a backup never overwrites a file`)
  const folder = path.dirname(file)
  if (!existsSync(folder)) throw new Error(`${folder} does not exist: create it first (mkdir -p ${folder})`)
  const temporary = path.join(folder, `${path.basename(file)}.${process.pid}.partial`)
  unfinished.files.add(temporary)
  try {
    await write(temporary)
    fsyncPath(temporary)
    try {
      // A link fails when the name was taken meanwhile, where a rename would replace what took it.
      linkSync(temporary, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists already: a backup never overwrites a file`, { cause: error })
      // A filesystem without hard links (some network and FAT ones): the name was free a moment ago.
      if (existsSync(file)) throw error
      renameSync(temporary, file)
    }
    try {
      fsyncPath(folder)
    } catch {
      // Some filesystems do not sync a folder (EINVAL, EISDIR); the file itself is synced.
    }
  } finally {
    rmSync(temporary, { force: true })
    unfinished.files.delete(temporary)
  }
}

/** Writes a backup of the database at `location` to `file`, which must not exist yet. */
export async function backup(location: string, file: string): Promise<void> {
  await writeWhole(file, async (temporary) => {
    if (dialectOf(location) === 'postgres') return run('pg_dump', location, ['--format=custom', '--no-owner', `--file=${temporary}`])
    const database = new BetterSqlite3(location, { readonly: true, fileMustExist: true })
    try {
      database.prepare('VACUUM INTO ?').run(temporary)
    } finally {
      database.close()
    }
  })
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
    return run('pg_restore', location, ['--no-owner', '--exit-on-error', '--single-transaction', file])
  }
  if (existsSync(location)) throw new Error(`${location} exists already: restore into a new file, or move it aside first`)
  const check = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    const result = check.pragma('integrity_check', { simple: true })
    if (result !== 'ok') throw new Error(`${file} is damaged: ${String(result)}`)
  } finally {
    check.close()
  }
  await writeWhole(location, (temporary) => copyFileSync(file, temporary))
}
