import t, { type Test } from 'tap'
import { buildApp } from '../../src/app'
import { MIGRATIONS } from '../../src/db/data-source'
import { Database } from '../../src/db/database'
import { type SeedData, seed, seedAtStart, seedsData } from '../../src/seed/seed'
import { Events1751700000000 } from '../../migrations/1751700000000-Events'
import { SEED } from '../helpers/test-app'
import { freshDatabase } from '../helpers/test-database'

/** The schema a registry had before events: every migration up to 1751600000000-WithheldValues. */
const BEFORE_EVENTS = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Events1751700000000))

/**
 * seeds-data/ as the release before events held it: the commit that added events (a00e5de) changed
 * seeds-data/ only by adding events.json and each record's `events`; sources and fields are the same.
 */
function seedsDataBeforeEvents(): SeedData {
  const { sources, records } = seedsData()
  return { sources, events: [], records: records.map(({ events: _events, ...record }) => record) }
}

const TABLES = ['sources', 'prisoners', 'claims', 'citations', 'events', 'event_claims', 'event_citations', 'event_participants', 'event_revisions']

async function counts(database: Database) {
  const rows: Record<string, number> = {}
  for (const table of TABLES) rows[table] = (await database.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n
  return rows
}

/**
 * The columns today's seed writes that the release before events did not have (1752400000000-ActorPseudonyms: each
 * actor's key and role beside its name): there only while today's code seeds the old schema, then dropped, so that
 * the database holds what the old release wrote.
 */
const LATER_COLUMNS = [
  ['sources', 'created_by'],
  ['revisions', 'actor'],
  ['proposals', 'decided_by'],
].flatMap(([table, prefix]) => [`${table} ${prefix}_key`, `${table} ${prefix}_role`].map((column) => column.split(' ')))

/** A database migrated and seeded as the release before events left it, then opened by this one (all migrations). */
async function upgradedDatabase(t: Test): Promise<Database> {
  const scratch = await freshDatabase()
  const old = await Database.open(scratch.location, { migrations: BEFORE_EVENTS })
  for (const [table, column] of LATER_COLUMNS) await old.dataSource.query(`ALTER TABLE ${table} ADD COLUMN ${column} varchar(36)`)
  t.equal((await seed(old, seedsDataBeforeEvents())).recordsAdded, 14, 'the release before events seeded its 14 records')
  for (const [table, column] of LATER_COLUMNS) await old.dataSource.query(`ALTER TABLE ${table} DROP COLUMN ${column}`)
  await old.close()
  const database = await Database.open(scratch.location)
  t.teardown(async () => {
    await database.close()
    await scratch.remove()
  })
  return database
}

async function freshInstall(t: Test): Promise<Database> {
  const scratch = await freshDatabase()
  const database = await Database.open(scratch.location)
  await seed(database)
  t.teardown(async () => {
    await database.close()
    await scratch.remove()
  })
  return database
}

/** The API on `database`, closed (and the database with it) when the test ends. */
async function appOn(t: Test, database: Database) {
  const app = await buildApp({ database })
  t.teardown(() => app.close())
  return app
}

/** What the public reads of the release: its values, participants and comparison (ids of claims and times aside). */
async function release(app: Awaited<ReturnType<typeof buildApp>>) {
  const event = (await app.inject(`/v1/events/${SEED.release}`)).json()
  const values = Object.fromEntries(Object.entries(event).flatMap(([field, view]) => (view && typeof view === 'object' && 'value' in view ? [[field, view.value]] : [])))
  const listed = (await app.inject(`/v1/prisoners?event=${SEED.release}&limit=200`)).json().data.map((record: { id: string }) => record.id).sort()
  return { values, participants: event.participants, comparison: event.comparison, listed }
}

for (const [how, run] of [
  ['npm run seed', seed],
  ['start-up (SEED_ON_START)', seedAtStart],
] as const) {
  t.test(`a registry seeded before events gets the release with its 14 participants from ${how}, as a fresh install has it`, async (t) => {
    const upgraded = await upgradedDatabase(t)
    t.equal((await counts(upgraded)).event_participants, 0, 'no event yet after the migration')
    t.same(await run(upgraded), { sourcesAdded: 0, eventsAdded: 1, recordsAdded: 0, participantsLinked: 14 })

    const installed = await freshInstall(t)
    t.same(await counts(upgraded), await counts(installed), 'the same rows as a fresh install')
    const seen = await release(await appOn(t, upgraded))
    t.equal(seen.participants.length, 14)
    t.equal(seen.listed.length, 14, 'the 14 records list the release')
    t.same(seen.comparison.count, { stated: 14, linked: 14 })
    t.same(seen, await release(await appOn(t, installed)), 'the same release, participants and comparison as a fresh install')

    // Each record got one more version, whose revision says the seed linked it (history is not rewritten).
    const linked = await upgraded.all<{ actor: string; actorKey: string | null; actorRole: string; action: string }>(
      'SELECT actor, actor_key AS "actorKey", actor_role AS "actorRole", action FROM revisions WHERE prisoner_id = ? ORDER BY id',
      [SEED.tsikhanouski],
    )
    const bySeed = { actor: 'seed', actorKey: null, actorRole: 'seed' }
    t.same(linked, [{ ...bySeed, action: 'create' }, { ...bySeed, action: 'update' }], 'the seed, shown as "seed" to everyone')

    t.same(await run(upgraded), { sourcesAdded: 0, eventsAdded: 0, recordsAdded: 0, participantsLinked: 0 }, 'seeding again adds nothing')
    t.same(await counts(upgraded), await counts(installed))
  })
}

t.test('an editor’s decisions are kept: a record whose events were set, or that was deleted, is not linked again', async (t) => {
  const upgraded = await upgradedDatabase(t)
  await seed(upgraded, { ...seedsData(), records: [] }) // the release event alone, as if an editor added it
  const app = await appOn(t, upgraded)
  const { KeysService } = await import('../../src/core/access/api-keys')
  const editor = { authorization: `Bearer ${(await new KeysService(upgraded).create('Edgar Editor', 'editor', 'test')).key}` }
  const read = async (id: string) => app.inject({ url: `/v1/prisoners/${id}`, headers: editor })
  // An editor links Karnei and unlinks him again: his events are the editor's choice, now none.
  for (const events of [[SEED.release], []]) {
    const current = await read(SEED.karnei)
    const patched = await app.inject({ method: 'PATCH', url: `/v1/prisoners/${SEED.karnei}`, headers: { ...editor, 'if-match': current.headers.etag as string }, payload: { events } })
    t.equal(patched.statusCode, 200)
  }
  const tsikhanouski = await read(SEED.tsikhanouski)
  const removed = await app.inject({ method: 'DELETE', url: `/v1/prisoners/${SEED.tsikhanouski}`, headers: { ...editor, 'if-match': tsikhanouski.headers.etag as string } })
  t.equal(removed.statusCode, 204)

  t.same(await seed(upgraded), { sourcesAdded: 0, eventsAdded: 0, recordsAdded: 0, participantsLinked: 12 })
  const participants = (await app.inject(`/v1/events/${SEED.release}`)).json().participants.map((p: { id: string }) => p.id)
  t.equal(participants.length, 12)
  t.notOk(participants.includes(SEED.karnei), 'the record an editor unlinked stays unlinked')
  t.notOk(participants.includes(SEED.tsikhanouski), 'the deleted record is left as it is')
})

t.test('on start, a registry with records of its own that was never seeded is left as it is', async (t) => {
  const scratch = await freshDatabase()
  const database = await Database.open(scratch.location)
  t.teardown(async () => {
    await database.close()
    await scratch.remove()
  })
  await seed(database, { sources: seedsData().sources, events: [], records: [] })
  const { PrisonersService } = await import('../../src/modules/prisoners/prisoners.service')
  const { validateDto } = await import('../../src/shared/dto')
  const { PrisonerWriteDto } = await import('../../src/modules/prisoners/prisoners.dto')
  const status = { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] }
  await new PrisonersService(database).create(validateDto(PrisonerWriteDto, { status }, 'body'), { actor: { name: 'someone', key: null, role: null } })
  t.equal(await seedAtStart(database), null)
  t.same(await counts(database), { ...(await counts(database)), prisoners: 1, events: 0 })
})
