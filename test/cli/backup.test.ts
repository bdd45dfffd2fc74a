import { execFile, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { KeysService } from '../../src/core/access/api-keys'
import { Database } from '../../src/db/database'
import { SEED } from '../helpers/test-app'
import { ROOT, buildServer, startServer, stopAll } from '../helpers/server-process'
import { freshDatabase, testEngine } from '../helpers/test-database'
import { canMount } from '../helpers/mount'

const exec = promisify(execFile)

/** The environment `npm run backup` gets: the database given as the server is given it, and `extra`. */
function cliEnvironment(location: string, extra: Record<string, string> = {}) {
  return { ...process.env, ...(location.startsWith('postgres') ? { DATABASE_URL: location } : { DATABASE_URL: '', DATABASE_PATH: location }), ...extra }
}

/** `npm run backup` (built). */
function backupCli(location: string, ...args: string[]) {
  return exec(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), ...args], { env: cliEnvironment(location), cwd: ROOT })
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

/**
 * A pg_dump of our own, first on PATH: it records the arguments and the password it was given, writes the start of
 * a dump to its --file, and then, as FAKE_PG_DUMP says, finishes it (ok), fails as an unreachable server makes it
 * fail (fail), or waits to be stopped (hang).
 */
function fakePgDump(t: Test): { path: string; record: string; argv: () => string[]; password: () => string; pid: () => number } {
  const folder = mkdtempSync(path.join(tmpdir(), 'registry-fake-pg-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const bin = path.join(folder, 'bin')
  const record = path.join(folder, 'record')
  mkdirSync(bin)
  mkdirSync(record)
  writeFileSync(
    path.join(bin, 'pg_dump'),
    `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_RECORD/argv"
printf '%s' "$PGPASSWORD" > "$FAKE_RECORD/password"
for argument; do case $argument in --file=*) file=\${argument#--file=};; esac; done
printf 'PGDMP begun' > "$file"
case $FAKE_PG_DUMP in
  fail) echo 'pg_dump: error: connection to server failed: Connection refused' >&2; exit 1;;
  hang) echo $$ > "$FAKE_RECORD/pid.partial"; mv "$FAKE_RECORD/pid.partial" "$FAKE_RECORD/pid"; while :; do sleep 0.1; done;;
  *) printf ', whole' >> "$file";;
esac
`,
  )
  chmodSync(path.join(bin, 'pg_dump'), 0o755)
  return {
    path: `${bin}${path.delimiter}${process.env.PATH}`,
    record,
    argv: () => readFileSync(path.join(record, 'argv'), 'utf8').trim().split('\n'),
    password: () => readFileSync(path.join(record, 'password'), 'utf8'),
    pid: () => Number(readFileSync(path.join(record, 'pid'), 'utf8')),
  }
}

/** Whether a process runs (a zombie waiting for its parent to collect it does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

// A password with characters a URL encodes, and a parameter only node-postgres knows.
const PG_URL = 'postgres://registry:s3cr%40t%2Fx@127.0.0.1:1/registry?sslmode=verify-full&sslrootcert=/etc/registry/ca.crt&uselibpqcompat=true'

t.test('pg_dump gets the password in its environment, never in its arguments; a failed backup leaves no file, and the same name works again', async (t) => {
  const fake = fakePgDump(t)
  const backupFile = backupPath(t)
  const dumpCli = (mode: string) =>
    exec(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), backupFile], { env: cliEnvironment(PG_URL, { PATH: fake.path, FAKE_RECORD: fake.record, FAKE_PG_DUMP: mode }), cwd: ROOT })

  const failed = await refusal(dumpCli('fail'))
  t.match(failed, { code: 1, stderr: /pg_dump failed: pg_dump: error: connection to server failed/ }, 'the failure, as pg_dump said it')
  t.notMatch(fake.argv().join(' '), /s3cr/, 'no password in the arguments (ps, /proc/<pid>/cmdline)')
  t.equal(fake.password(), 's3cr@t/x', 'the password, decoded, in PGPASSWORD')
  t.ok(fake.argv().includes('--dbname=postgres://registry@127.0.0.1:1/registry?sslmode=verify-full&sslrootcert=/etc/registry/ca.crt'), 'the rest of the URL as libpq takes it, without uselibpqcompat')
  t.same(readdirSync(path.dirname(backupFile)), [], 'nothing left beside the backup: no file, no partial one')

  const made = await dumpCli('ok')
  t.match(made.stdout, /Backed up to/, 'a retry under the same name works')
  t.equal(readFileSync(backupFile, 'utf8'), 'PGDMP begun, whole', 'and the file is the whole dump')
  t.same(readdirSync(path.dirname(backupFile)), [path.basename(backupFile)])
})

t.test('a backup stopped half-way (SIGTERM) stops pg_dump and leaves no file; the same name works again', async (t) => {
  const fake = fakePgDump(t)
  const backupFile = backupPath(t)
  const cli = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), backupFile], {
    env: cliEnvironment(PG_URL, { PATH: fake.path, FAKE_RECORD: fake.record, FAKE_PG_DUMP: 'hang' }),
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  cli.stderr.on('data', (chunk) => (stderr += chunk))
  while (!existsSync(path.join(fake.record, 'pid'))) await new Promise((resolve) => setTimeout(resolve, 20))
  const dumping = fake.pid()
  t.teardown(() => running(dumping) && process.kill(dumping, 'SIGKILL')) // when the command left it running
  t.notMatch(readFileSync(`/proc/${dumping}/cmdline`, 'utf8'), /s3cr/, 'while it runs, no password in its command line')
  t.match(readFileSync(`/proc/${dumping}/environ`, 'utf8'), /\0PGPASSWORD=s3cr@t\/x\0/, 'but in its environment, which only its user may read')

  cli.kill('SIGTERM')
  const [code] = await once(cli, 'exit')
  t.equal(code, 143, 'the command exits as stopped')
  t.match(stderr, /Stopped by SIGTERM/)
  t.notOk(running(dumping), 'pg_dump was stopped too')
  t.same(readdirSync(path.dirname(backupFile)), [], 'no file, no partial one')

  const made = await exec(process.execPath, [path.join(ROOT, 'dist/src/cli/backup.js'), backupFile], {
    env: cliEnvironment(PG_URL, { PATH: fake.path, FAKE_RECORD: fake.record, FAKE_PG_DUMP: 'ok' }),
    cwd: ROOT,
  })
  t.match(made.stdout, /Backed up to/, 'a retry under the same name works')
})


t.test('SQLite: a backup that fills the disk leaves no file, and once there is room the same name works', { skip: testEngine() !== 'sqlite' ? 'SQLite only (pg_dump is covered above)' : !canMount() ? 'needs to mount a tmpfs (root)' : false }, async (t) => {
  const live = await freshDatabase()
  t.teardown(live.remove)
  const database = await Database.open(live.location)
  await database.close()
  const disk = mkdtempSync(path.join(tmpdir(), 'registry-full-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', disk])
  t.teardown(() => {
    execFileSync('umount', [disk])
    rmSync(disk, { recursive: true, force: true })
  })
  const backupFile = path.join(disk, 'registry.backup')

  t.match(await refusal(backupCli(live.location, backupFile)), { code: 1, stderr: /full/i }, 'the backup fails: the disk is full')
  t.same(readdirSync(disk), [], 'and leaves nothing: no file, no partial one')

  execFileSync('mount', ['-o', 'remount,size=16m', disk])
  t.match((await backupCli(live.location, backupFile)).stdout, /Backed up to/, 'with room, the same name works')
  t.match((await backupCli(live.location, '--check', backupFile)).stdout, /OK: the backup restores/, 'and the backup restores')
})
