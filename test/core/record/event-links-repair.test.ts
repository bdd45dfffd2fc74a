import t from 'tap'
import { repairDroppedEventLinks } from '../../../src/core/record/event-links-repair'
import { SEED, buildTestApp } from '../../helpers/test-app'

/**
 * During a rolling upgrade an instance of the release before events changes a record on the migrated database:
 * it rebuilds the record's documents without `events` (a field it does not know) and leaves event_participants
 * as it was (docs/deploy.md, tried with that release's build). The next instance's start puts them back.
 */
t.test('a record whose documents lost their events to the previous release gets them back on start, with no new version', async (t) => {
  const { http, database, editor } = await buildTestApp(t)
  const before = (await editor.get(`/v1/prisoners/${SEED.karnei}`)).body
  t.same(before.events, [{ id: SEED.release }])
  // What the previous release's PATCH left: the same record, its documents without events.
  await database.transaction(async (manager) => {
    const [row] = await manager.query(database.sql('SELECT document, editor_document AS "editorDocument" FROM prisoners WHERE id = ?'), [SEED.karnei])
    const without = (text: string | null) => (text === null ? null : JSON.stringify({ ...JSON.parse(text), events: undefined }))
    await manager.query(database.sql('UPDATE prisoners SET document = ?, editor_document = ? WHERE id = ?'), [without(row.document), without(row.editorDocument), SEED.karnei])
  })
  t.notOk((await http.get(`/v1/prisoners/${SEED.karnei}`)).body.events, 'the record names no event…')
  t.ok((await http.get(`/v1/events/${SEED.release}`)).body.participants.some((p: { id: string }) => p.id === SEED.karnei), '…while the event lists it')

  t.equal(await repairDroppedEventLinks(database), 1, 'one record repaired')
  const after = (await editor.get(`/v1/prisoners/${SEED.karnei}`)).body
  t.same(after, before, 'the record reads as before, version included')
  t.equal(await repairDroppedEventLinks(database), 0, 'nothing left to repair')
})
