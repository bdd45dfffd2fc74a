import { randomUUID } from 'node:crypto'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { constants, tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { CitationEntity } from '../../../src/db/entities/citation.entity'
import { withPgClient } from '../../../src/db/pg-client'
import { buildTestApp } from '../../helpers/test-app'
import { ROOT, buildServer } from '../../helpers/server-process'
import { testEngine } from '../../helpers/test-database'

/**
 * The audit reads every citation in batches, and a source's text between two batches: on PostgreSQL that second
 * query waited behind the first one's open cursor, so an archive of 500 citations or more was never audited
 * (`npm run audit`, GET /v1/audit/verify and `npm run backup -- --check` all hung). Here at 10,000 citations, on the
 * engine the tests run on.
 */
const CITATIONS = 10_000
/** A hang is a failure, not a wait until tap's own timeout: far above what these take (seconds). */
const HANG_MS = 100_000

const exec = promisify(execFile)

/** A built command on `location`, as the server is given it; rejects (killed) if it runs past HANG_MS. */
function cli(location: string, script: string, ...args: string[]) {
  const env = { ...process.env, ...(location.startsWith('postgres') ? { DATABASE_URL: location } : { DATABASE_URL: '', DATABASE_PATH: location }) }
  return exec(process.execPath, [path.join(ROOT, 'dist/src/cli', script), ...args], { env, cwd: ROOT, timeout: HANG_MS })
}

/** Whether a request or command ended before HANG_MS, and how. */
async function ended<T>(work: Promise<T>): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), HANG_MS)))
  try {
    return await Promise.race([work, hang])
  } finally {
    clearTimeout(timer)
  }
}

t.before(() => buildServer())

t.test(`the audit of ${CITATIONS.toLocaleString('en-US')} citations finishes: the API, npm run audit, and backup --check (${testEngine()})`, async (t) => {
  const { database, volunteer } = await buildTestApp(t)
  const options = database.dataSource.options as { url?: string; database?: string }
  const where = String(options.url ?? options.database)

  // Copies of one citation of each archived source, alternating, written in one transaction: the citations of the
  // two sources come in runs of thousands, and the audit reads the second source's text deep into the iteration.
  const models = await database.all<CitationEntity & { claimId: string; sourceId: string; quoteStart: number; quoteEnd: number }>(
    `SELECT c.claim_id AS "claimId", c.source_id AS "sourceId", c.quote, c.quote_start AS "quoteStart", c.quote_end AS "quoteEnd"
     FROM citations c JOIN sources s ON s.id = c.source_id
     WHERE s.content IS NOT NULL AND c.quote_start IS NOT NULL AND c.id = (SELECT MIN(o.id) FROM citations o WHERE o.source_id = c.source_id AND o.quote_start IS NOT NULL)`,
  )
  t.equal(models.length, 2, 'one citation of each of the two archived sources')
  // The audit counts the records' citations and the events'.
  const before = (await database.get<{ n: number }>('SELECT (SELECT COUNT(*) FROM citations) + (SELECT COUNT(*) FROM event_citations) AS n'))!.n
  await database.transaction(async (manager) => {
    for (let done = 0; done < CITATIONS; done += 500) {
      const rows = Array.from({ length: 500 }, (_, i) => {
        const { claimId, sourceId, quote, quoteStart, quoteEnd } = models[(done + i) % 2]
        return { id: randomUUID(), claimId, sourceId, quote, quoteStart, quoteEnd, note: null, createdAt: '2026-01-01T00:00:00.000Z' }
      })
      await manager.insert(CitationEntity, rows)
    }
  })
  const total = before + CITATIONS

  const answer = await ended(volunteer.get('/v1/audit/verify'))
  t.not(answer, 'still running', 'GET /v1/audit/verify answers')
  if (answer !== 'still running') {
    t.equal(answer.status, 200)
    t.match(answer.body, { ok: true, citations: { total, failed: 0 } }, 'every citation read and checked')
  }

  const audit = await cli(where, 'audit.js').catch((error: Error) => error)
  t.match(audit, { stdout: new RegExp(`Citations: ${total};.* 0 failed[\\s\\S]*OK: zero failures`) }, 'npm run audit finishes, with the same counts')

  const folder = mkdtempSync(path.join(tmpdir(), 'registry-audit-scale-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const file = path.join(folder, 'registry.backup')
  await cli(where, 'backup.js', file)
  const check = await cli(where, 'backup.js', '--check', file).catch((error: Error) => error)
  t.match(check, { stdout: new RegExp(`${total} citations \\(\\d+ checked, 0 failed\\)[\\s\\S]*OK: the backup restores`) }, 'npm run backup -- --check finishes')
  const scratch = /scratch database (\S+)/.exec(String((check as { stdout?: string }).stdout))?.[1]
  t.ok(scratch, 'it names the scratch database it restored into')
  if (scratch) t.notOk(await scratchExists(scratch), `and ${scratch} is removed afterwards`)

  // Stopped half-way (Ctrl-C, a cron job's timeout): the scratch database goes all the same.
  const env = { ...process.env, ...(where.startsWith('postgres') ? { DATABASE_URL: where } : { DATABASE_URL: '', DATABASE_PATH: where }) }
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), '--check', file], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => void child.kill('SIGKILL'))
  const exited = once(child, 'exit') as Promise<[number | null]>
  let said = ''
  const named = new Promise<string>((resolve) =>
    child.stdout.on('data', (chunk) => {
      said += chunk
      const name = /scratch database (\S+)/.exec(said)?.[1]
      if (name) resolve(name)
    }),
  )
  const interrupted = await ended(named)
  t.not(interrupted, 'still running', 'the check names its scratch database')
  child.kill('SIGTERM')
  const [code] = await exited
  t.equal(code, 128 + constants.signals.SIGTERM, 'stopped by SIGTERM')
  if (interrupted !== 'still running') t.notOk(await scratchExists(interrupted), `${interrupted} is removed on SIGTERM too`)
})

/** Whether the scratch database a check named (a PostgreSQL database, or a SQLite file) is still there. */
async function scratchExists(name: string): Promise<boolean> {
  if (testEngine() === 'sqlite') return existsSync(name)
  const { rows } = await withPgClient(process.env.TEST_DATABASE_URL!, (client) => client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))
  return rows.length > 0
}
