import { createHash } from 'node:crypto'
import t from 'tap'
import { buildApp } from '../../src/app'
import { MIGRATIONS } from '../../src/db/data-source'
import { Database } from '../../src/db/database'
import { seed } from '../../src/seed/seed'
import { ExternalIdentifiers1751900000000 } from '../../migrations/1751900000000-ExternalIdentifiers'
import { SEED } from '../helpers/test-app'
import { freshDatabase } from '../helpers/test-database'
import { addLaterColumns, dropColumns } from '../helpers/later-columns'

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(ExternalIdentifiers1751900000000))
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

t.test('a registry whose stored records predate identifiers reads them with the empty field, its ETags right, and the filter works', async (t) => {
  const scratch = await freshDatabase()
  t.teardown(() => scratch.remove())
  const old = await Database.open(scratch.location, { migrations: BEFORE })
  // Today's writer fills columns added since (arrest_date, actors' keys): there while it seeds, gone after.
  const later = await addLaterColumns(old)
  await seed(old)
  await dropColumns(old, later)
  // As the release before identifiers stored them: no `identifiers` in the documents (this seed wrote it), nor any field declared since.
  await old.transaction(async (manager) => {
    const rows = (await manager.query('SELECT id, document FROM prisoners')) as { id: string; document: string }[]
    for (const { id, document } of rows) {
      const { identifiers: _none, arrestDate: _since, recognition: _later, ...rest } = JSON.parse(document)
      const body = JSON.stringify(rest)
      await manager.createQueryBuilder().update('prisoners').set({ document: body, etag: etagOf(body) }).where('id = :id', { id }).execute()
    }
  })
  await old.close()

  const database = await Database.open(scratch.location)
  const app = await buildApp({ database })
  t.teardown(() => app.close())
  const read = await app.inject(`/v1/prisoners/${SEED.tsikhanouski}`)
  t.same(read.json().identifiers, { value: null, claimId: null, citations: [], alternatives: [] }, 'the field, empty')
  t.same(Object.keys(read.json()).slice(-7), ['destination', 'identifiers', 'arrestDate', 'recognition', 'events', 'createdAt', 'updatedAt'], 'in the order the writer puts it')
  t.equal(read.headers.etag, etagOf(read.body), 'the ETag is that of the body served')
  t.equal((await app.inject('/v1/prisoners?wikidata=Q4115189')).json().data.length, 0)
  t.equal((await app.inject('/v1/prisoners?limit=200')).json().data.length, 14, 'every record still listed')
})
