import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { Database } from '../../src/db/database'
import { scratchDatabase } from '../../src/db/scratch-database'
import { seed } from '../../src/seed/seed'
import { ROOT, buildServer } from '../helpers/server-process'
import { freshDatabase, testEngine } from '../helpers/test-database'

const exec = promisify(execFile)
const cli = (env: Record<string, string>, ...args: string[]) =>
  exec(process.execPath, [path.join(ROOT, 'dist/src/cli/copy-to-postgres.js'), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env } })

t.test('npm run copy-to-postgres moves a SQLite registry into an empty PostgreSQL database, and refuses anything else', { skip: testEngine() !== 'postgres' && 'needs PostgreSQL (npm run test:postgres)' }, async (t) => {
  buildServer()
  const file = await scratchDatabase(undefined, 'registry-copy')
  const target = await freshDatabase()
  t.teardown(async () => {
    await file.remove()
    await target.remove()
  })
  const sqlite = await Database.open(file.location)
  await seed(sqlite)
  await sqlite.close()

  const copied = await cli({ DATABASE_PATH: file.location }, target.location)
  t.match(copied.stdout, /Copied [\d,]+ rows from .*registry\.sqlite/)
  const postgres = await Database.open(target.location)
  t.teardown(() => postgres.close())
  t.equal((await postgres.get<{ n: number }>('SELECT COUNT(*) AS n FROM prisoners'))?.n, 14, 'the 14 records are there')

  const again = await cli({ DATABASE_PATH: file.location }, target.location).catch((error: { code: number; stderr: string }) => error)
  t.match(again, { code: 1, stderr: /holds records, sources or keys already/ }, 'a second copy into the same database is refused')
  const usage = await cli({ DATABASE_PATH: file.location }, 'mysql://db/registry').catch((error: { code: number; stderr: string }) => error)
  t.match(usage, { code: 2, stderr: /npm run copy-to-postgres -- postgres:\/\// }, 'a URL of another kind: the usage')
})
