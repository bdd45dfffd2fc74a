import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { withPgClient } from '../../src/db/pg-client'
import { ROOT } from './server-process'

/**
 * A PostgreSQL server of the test's own (test/setup/postgres.sh), for what must not happen to a shared one: stopped,
 * frozen, restarted. Never the server of TEST_DATABASE_URL.
 */
export interface ThrowawayPostgres {
  /** The admin URL (database `postgres`), for scratchDatabase. */
  url: string
  /** SIGSTOP to the server and every backend: connections stay open and new ones are accepted, but nothing answers. */
  freeze(pids?: number[]): void
  /** SIGCONT to what freeze stopped. */
  thaw(): void
  /** The server's backends serving connections of this application_name (pg_stat_activity). */
  backendsOf(applicationName: string): Promise<number[]>
  /** pg_ctl stop (fast): connections are closed and new ones refused. */
  stop(): void
  /** Started again on the same port, with the same data. */
  start(): void
  /** Stopped and deleted. */
  remove(): void
}

/** Whether PostgreSQL's server programs are installed (the tests do not install them for this). */
export function postgresInstalled(): boolean {
  return existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/pg_ctl`))
}

export function startThrowawayPostgres(): ThrowawayPostgres {
  const exports = execFileSync('bash', [path.join(ROOT, 'test/setup/postgres.sh'), 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const url = /TEST_DATABASE_URL=(\S+)/.exec(exports)![1]
  const dir = /TEST_POSTGRES_DIR=(\S+)/.exec(exports)![1]
  const port = new URL(url).port
  const version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1)!
  const pgCtl = `/usr/lib/postgresql/${version}/bin/pg_ctl`
  // As root the cluster belongs to the user postgres.sh chose, who alone may run pg_ctl on it.
  const owner = process.getuid?.() === 0 ? String(execFileSync('stat', ['-c', '%U', dir], { encoding: 'utf8' })).trim() : undefined
  const asOwner = (args: string[]) =>
    execFileSync(owner ? 'runuser' : pgCtl, owner ? ['-u', owner, '--', pgCtl, ...args] : args, { stdio: 'ignore' })
  const postmaster = () => Number(readFileSync(path.join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0])
  const children = (parent: number) =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === parent
        } catch {
          return false
        }
      })
      .map(Number)
  let frozen: number[] = []
  // A test that timed out ends without its teardown: a frozen server must not outlive it.
  process.once('exit', () => server.remove())
  const signal = (pids: number[], name: 'SIGSTOP' | 'SIGCONT') => {
    for (const pid of pids) {
      try {
        process.kill(pid, name)
      } catch {
        // gone meanwhile
      }
    }
  }
  const server: ThrowawayPostgres = {
    url,
    freeze(pids) {
      const server = postmaster()
      frozen = pids ?? [server, ...children(server)]
      signal(frozen, 'SIGSTOP')
    },
    thaw() {
      signal(frozen, 'SIGCONT')
      frozen = []
    },
    async backendsOf(applicationName) {
      const { rows } = await withPgClient(url, (client) => client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]))
      return rows.map((row) => row.pid)
    },
    stop() {
      asOwner(['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop'])
    },
    start() {
      const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
      asOwner(['-D', path.join(dir, 'data'), '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start'])
    },
    remove() {
      this.thaw()
      if (existsSync(dir) && statSync(dir).isDirectory()) execFileSync('bash', [path.join(ROOT, 'test/setup/postgres.sh'), 'stop', dir], { stdio: 'ignore' })
    },
  }
  return server
}
