import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import t, { type Test } from 'tap'
import { scratchDatabase } from '../../src/db/scratch-database'
import { SEED } from '../helpers/test-app'
import { ROOT, buildServer, freePort } from '../helpers/server-process'
import { postgresInstalled, startThrowawayPostgres } from '../helpers/throwaway-postgres'
import { testEngine } from '../helpers/test-database'

/**
 * Start-up when PostgreSQL is not there: the server waits for it, says so at each attempt, and gives up at
 * DATABASE_START_WAIT_MS with a plain message and exit code 1; it neither hangs on a server that accepts connections
 * and answers nothing, nor exits at the first refusal of one that is still starting.
 */
/** Options of a test that needs PostgreSQL's programs (a fresh object each time: tap writes into it). */
const onPostgres = () => (testEngine() === 'postgres' && postgresInstalled() ? {} : { skip: 'PostgreSQL only, with its server programs installed (npm run test:postgres)' })
/** A server still starting (or still running) after this is hanging: a failure. */
const HANG_MS = 30_000

t.before(() => buildServer())

/** The built server started on `url` with `env` (killed when the test ends), and what it wrote so far. */
async function launch(t: Test, url: string, env: Record<string, string>) {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/server.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.teardown(() => void child.kill('SIGKILL'))
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return { child, base: `http://127.0.0.1:${port}`, output: () => output }
}

/** Waits until `done` holds, checking every 100 ms; false if it did not within HANG_MS. */
async function until(done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + HANG_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (await done()) return true
  }
  return false
}

/** The built server started on `url` with `env`, until it exits: its exit code and what it wrote. */
async function startUntilExit(t: Test, url: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = await launch(t, url, env)
  const exited = once(child, 'exit') as Promise<[number | null]>
  if (!(await until(() => child.exitCode !== null))) return { code: null, output: output() }
  const [code] = await exited
  return { code, output: output() }
}

t.test('start-up against an unreachable PostgreSQL waits, says so at each attempt, then exits 1 with a plain message', async (t) => {
  const nobody = `postgres://postgres@127.0.0.1:${await freePort()}/registry`
  const { code, output } = await startUntilExit(t, nobody, { DATABASE_START_WAIT_MS: '2500' })
  t.equal(code, 1, 'it exits 1, neither hanging nor serving')
  const attempts = output.match(/waiting for the database: attempt \d+ failed \(the database server does not answer\)/g) ?? []
  t.ok(attempts.length >= 2, `a line for each failed attempt (${attempts.length})`, { output })
  t.match(output, /the database could not be reached within 2\.5 s \(DATABASE_START_WAIT_MS\): the database server does not answer/)
  t.notMatch(output, /\n\s+at /, 'no stack trace')
})

t.test('start-up waits for a frozen PostgreSQL (connect timeout), and for one that comes up within the limit', onPostgres(), async (t) => {
  const cluster = startThrowawayPostgres()
  t.teardown(() => cluster.remove())
  const scratch = await scratchDatabase(cluster.url, 'registry_start')

  cluster.freeze()
  const frozen = await startUntilExit(t, scratch.location, { DATABASE_START_WAIT_MS: '2000', DATABASE_CONNECT_TIMEOUT_MS: '300' })
  cluster.thaw()
  t.equal(frozen.code, 1, 'a server that accepts and never answers: start-up gives up at the limit')
  t.match(frozen.output, /attempt 1 failed \(the database server did not answer in time\)/)
  t.match(frozen.output, /could not be reached within 2 s/)

  cluster.stop()
  const instance = await launch(t, scratch.location, { DATABASE_START_WAIT_MS: '60000' })
  t.ok(await until(() => /waiting for the database: attempt 1 failed \(the database server does not answer\)/.test(instance.output())), 'it waits', { output: instance.output() })
  cluster.start()
  const healthy = () => fetch(`${instance.base}/health`).then((answer) => answer.ok, () => false)
  t.ok(await until(healthy), 'and serves once the database is up', { output: instance.output() })
  t.equal((await fetch(`${instance.base}/v1/prisoners/${SEED.karnei}`)).status, 200, 'migrated and seeded')
})
