import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { KeysService } from '../../src/core/access/api-keys'
import { Database } from '../../src/db/database'
import { SEED } from '../helpers/test-app'
import { ROOT, buildServer, startServer, stopAll } from '../helpers/server-process'
import { freshDatabase, testEngine } from '../helpers/test-database'

const exec = promisify(execFile)

/** `npm run backup` (built), with the database given as the server is given it. */
function backupCli(location: string, ...args: string[]) {
  const env = { ...process.env, ...(location.startsWith('postgres') ? { DATABASE_URL: location } : { DATABASE_URL: '', DATABASE_PATH: location }) }
  return exec(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), ...args], { env, cwd: ROOT })
}

/** How a command that should fail failed: its exit code and what it said. */
async function refusal(command: Promise<unknown>): Promise<{ code?: number; stderr?: string }> {
  try {
    await command
  } catch (error) {
    return error as { code?: number; stderr?: string }
  }
  return { code: 0 }
}

/** A path for a backup file, in a temporary folder removed when the test ends. */
function backupPath(t: Test): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'registry-backup-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  return path.join(folder, 'registry.backup')
}

const engine = testEngine() === 'postgres' ? 'PostgreSQL (pg_dump)' : 'SQLite (VACUUM INTO)'

t.before(() => buildServer())
t.teardown(stopAll)

t.test(`${engine}: a backup taken while the API serves writes holds every write acknowledged before it, and restores`, async (t) => {
  const live = await freshDatabase()
  const restored = await freshDatabase()
  t.teardown(async () => {
    await stopAll()
    await Promise.all([live.remove(), restored.remove()])
  })
  const backupFile = backupPath(t)

  const server = await startServer(live.location)
  const database = await Database.open(live.location)
  const key = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
  await database.close()

  // Writes all along, each remembered with the moment it was acknowledged.
  const acknowledged: { id: string; at: number }[] = []
  const failures: number[] = []
  let writing = true
  let writerStopped = false
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const answer = await fetch(`${server.base}/v1/prisoners`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: { value: `Backup Test ${i}`, citations: [{ sourceId: SEED.articleA, quote: 'Halina Krasnianskaya' }] } }),
      })
      if (answer.status === 201) acknowledged.push({ id: ((await answer.json()) as { id: string }).id, at: Date.now() })
      else failures.push(answer.status)
    }
  })().finally(() => (writerStopped = true))
  // Counted in acknowledged writes, not in time, which a busy machine may spend before the first answer.
  const acknowledgedMore = async (than: number) => {
    while (acknowledged.length <= than && failures.length === 0 && !writerStopped) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await acknowledgedMore(2)
  const backupStarted = Date.now()
  const made = await backupCli(live.location, backupFile)
  await acknowledgedMore(acknowledged.length + 2)
  writing = false
  await writer
  t.match(made.stdout, /Backed up to/)
  t.same(failures, [], 'the API took every write while the backup ran')
  const before = acknowledged.filter((write) => write.at < backupStarted)
  t.ok(before.length > 0 && acknowledged.length > before.length, `${before.length} writes acknowledged before the backup, ${acknowledged.length - before.length} during or after`)

  const checked = await backupCli(live.location, '--check', backupFile)
  t.match(checked.stdout, /OK: the backup restores, and its audit finds zero failures/, 'the check restores it elsewhere and audits it')

  await backupCli(restored.location, '--restore', backupFile)
  const fromBackup = await startServer(restored.location)
  const missing = []
  for (const { id } of before) if ((await fetch(`${fromBackup.base}/v1/prisoners/${id}`)).status !== 200) missing.push(id)
  t.same(missing, [], 'a server on the restored database has every write acknowledged before the backup')
  const audit = (await (await fetch(`${fromBackup.base}/v1/audit/verify`, { headers: { authorization: `Bearer ${key}` } })).json()) as { ok: boolean; citations: { failed: number } }
  t.match(audit, { ok: true, citations: { failed: 0 } }, 'and its audit finds nothing wrong')
})

t.test(`${engine}: a backup never overwrites a file, and a restore never overwrites a database`, async (t) => {
  const live = await freshDatabase()
  t.teardown(live.remove)
  const database = await Database.open(live.location)
  await database.close()
  const existing = path.join(ROOT, 'package.json')
  t.match(await refusal(backupCli(live.location, existing)), { code: 1, stderr: /exists already: a backup never overwrites a file/ })
  t.ok(existsSync(existing))
  const backupFile = backupPath(t)
  await backupCli(live.location, backupFile)
  t.match(await refusal(backupCli(live.location, '--restore', backupFile)), { code: 1, stderr: /exists already|holds tables already/ }, 'into the live database: refused')
  const notABackup = await refusal(backupCli(path.join(tmpdir(), `registry-${process.pid}-new.sqlite`), '--restore', existing))
  t.match(notABackup, { code: 1, stderr: /not a database|damaged|pg_restore failed/ }, 'a file that is not a backup: refused')
  t.match(await refusal(backupCli(live.location, 'a', 'b')), { code: 2, stderr: /npm run backup -- FILE/ }, 'wrong arguments: the usage')
})
