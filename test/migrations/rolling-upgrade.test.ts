import t, { type Test } from 'tap'
import { buildApp } from '../../src/app'
import { KeysService } from '../../src/core/access/api-keys'
import { MIGRATIONS } from '../../src/db/data-source'
import { Database } from '../../src/db/database'
import { withPgClient } from '../../src/db/pg-client'
import { seed, seedsData } from '../../src/seed/seed'
import { Events1751700000000 } from '../../migrations/1751700000000-Events'
import { SEED } from '../helpers/test-app'
import { freshDatabase, testEngine } from '../helpers/test-database'

/**
 * A rolling upgrade (docs/deploy.md): instances of the release before events serve writes while an instance of
 * this one starts beside them and migrates the shared database. On PostgreSQL the Events migration's ALTER TABLEs
 * deadlocked against those writes in 3 tries of 4 (issue 23); now the migration takes the write lock first.
 */
const BEFORE_EVENTS = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Events1751700000000))

const record = { status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] } }

/** A database at the schema before events (1751600000000), seeded as that release seeded it. */
async function databaseBeforeEvents(t: Test): Promise<string> {
  const scratch = await freshDatabase()
  t.teardown(() => scratch.remove())
  const old = await Database.open(scratch.location, { migrations: BEFORE_EVENTS })
  // The previous release is played by today's code, whose writer fills the columns of fields declared since.
  await old.transaction((manager) => manager.query('ALTER TABLE prisoners ADD COLUMN arrest_date varchar(10)'))
  const { sources, records } = seedsData()
  await seed(old, { sources, events: [], records: records.map(({ events: _events, ...rest }) => rest) })
  await old.close()
  return scratch.location
}

/** An instance of the previous release: the API on the database, its schema left where it was. */
async function oldInstance(t: Test, location: string) {
  const database = await Database.open(location, { migrations: BEFORE_EVENTS })
  const app = await buildApp({ database, writesPerMinute: 1_000_000 })
  t.teardown(() => app.close())
  const key = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
  return { app, authorization: `Bearer ${key}` }
}

interface Written {
  status: number
  id?: string
}

/** Creates records one after another through the HTTP layer until told to stop; what each write was answered. */
function writeContinuously(instance: Awaited<ReturnType<typeof oldInstance>>, running: () => boolean) {
  const answers: Written[] = []
  const done = (async () => {
    while (running()) {
      const response = await instance.app.inject({ method: 'POST', url: '/v1/prisoners', headers: { authorization: instance.authorization }, payload: record })
      answers.push({ status: response.statusCode, id: response.statusCode === 201 ? (response.json().id as string) : undefined })
    }
  })()
  return { answers, done }
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test('an instance of this release migrates the database while two of the previous one write: the migration completes, every write is saved or answered 503', async (t) => {
  const location = await databaseBeforeEvents(t)
  const instances = [await oldInstance(t, location), await oldInstance(t, location)]
  let running = true
  const writers = instances.map((instance) => writeContinuously(instance, () => running))
  const acknowledged = () => writers.map(({ answers }) => answers.filter(({ status }) => status === 201).length)
  await until(() => acknowledged().every((n) => n >= 5))

  const retries: string[] = []
  const upgraded = await Database.open(location, { log: (line) => retries.push(line) }).catch((error: Error) => error)
  t.notOk(upgraded instanceof Error, `the migration completed: ${upgraded instanceof Error ? upgraded.message : 'yes'}`)
  if (upgraded instanceof Error) {
    running = false
    await Promise.all(writers.map(({ done }) => done))
    return
  }
  t.teardown(() => upgraded.close())
  // The previous release goes on writing on the new schema until it is stopped.
  const after = acknowledged()
  await until(() => acknowledged().every((n, i) => n >= after[i] + 5))
  running = false
  await Promise.all(writers.map(({ done }) => done))

  const answers = writers.flatMap(({ answers }) => answers)
  t.same([...new Set(answers.map(({ status }) => status))].filter((status) => status !== 201 && status !== 503), [], 'each write answered 201 or 503, never 500')
  const ids = answers.flatMap(({ id }) => (id ? [id] : []))
  const marks = ids.map(() => '?').join(', ')
  const stored = await upgraded.get<{ n: number }>(`SELECT COUNT(*) AS n FROM prisoners WHERE id IN (${marks})`, ids)
  t.equal(stored!.n, ids.length, `each of the ${ids.length} acknowledged writes is in the database`)
  t.ok(await upgraded.get("SELECT 1 FROM migrations WHERE name = 'Events1751700000000'"), 'the Events migration is recorded')
  t.equal((await seed(upgraded)).participantsLinked, 14, 'and the upgraded registry takes the release’s links')
  t.comment(`${answers.length} writes (${answers.filter(({ status }) => status === 503).length} answered 503), ${retries.length} migration retries`)
})

t.test(
  'on PostgreSQL a migration that waits for a table a reader holds gives up after lock_timeout, says so, and tries again until it completes',
  { skip: testEngine() !== 'postgres' && 'PostgreSQL only (npm run test:postgres)' },
  async (t) => {
    const location = await databaseBeforeEvents(t)
    let released!: () => void
    const holding = new Promise<void>((resolve) => (released = resolve))
    let held!: () => void
    const holds = new Promise<void>((resolve) => (held = resolve))
    // A long read of the table the Events migration alters (an export's snapshot, say), ended once the migration retried.
    const reader = withPgClient(location, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      await client.query('SELECT COUNT(*) FROM proposals')
      held()
      await holding
      await client.query('COMMIT')
    })
    await holds
    const retries: string[] = []
    const opening = Database.open(location, {
      log: (line) => {
        retries.push(line)
        released()
      },
    })
    const upgraded = await opening
    t.teardown(() => upgraded.close())
    await reader
    t.ok(retries.length >= 1, 'a retry was logged')
    t.match(retries[0], /migrations: a lock was not had within lock_timeout \(try 1 of 30\); trying again/)
    t.ok(await upgraded.get("SELECT 1 FROM migrations WHERE name = 'Events1751700000000'"), 'the migration completed once the read ended')
  },
)
