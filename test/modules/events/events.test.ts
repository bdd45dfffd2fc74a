import t from 'tap'
import { PRISONER_FIELDS } from '../../../src/core/document/fields'
import { SEED, buildTestApp } from '../../helpers/test-app'
import supertest from 'supertest'

/**
 * Events (docs/design.md §3): what the sources say about a release as a group, cited as a record's fields, the records
 * linked to it, and how the two compare.
 */

const FIELDS = ['kind', 'date', 'place', 'fromCountry', 'toCountry', 'count', 'composition', 'brokeredBy']
type Citation = { sourceId: string | null; quote: string | null; start: number | null; end: number | null; private?: true }
type Field = { value: unknown; claimId: string | null; citations: Citation[]; alternatives: { value: unknown; citations: Citation[] }[] }

/** Another id of the same shape: its last digit changed (to one it is not). */
const otherId = (id: string) => id.slice(0, -1) + (id.endsWith('0') ? '1' : '0')
/** The words at a citation's offsets in its source's archived text, counted in code points as the API does. */
const wordsAt = (content: string, { start, end }: Citation) => [...content].slice(start!, end!).join('')

t.test('the seed holds the June 2025 release: its group facts cited from the articles, its 14 participants, and what is still missing', async (t) => {
  const { http, volunteer } = await buildTestApp(t)
  const list = await http.get('/v1/events')
  t.equal(list.status, 200)
  t.equal(list.body.data.length, 1)
  t.equal(list.body.next, null)
  const event = list.body.data[0]
  t.equal(event.id, SEED.release)
  t.equal(event.kind.value, 'release')
  t.equal(event.date.value, '2025-06-21')
  t.equal(event.fromCountry.value, 'BY')
  t.equal(event.toCountry.value, 'LT')
  t.equal(event.count.value, 14)
  t.same(event.composition.value, { BY: 5, PL: 3, LV: 2, JP: 2, EE: 1, SE: 1 })
  t.match(event.brokeredBy.value, /Keith Kellogg/)

  // Every value is cited; every quote of an archived source is its words at the offsets given.
  const contents = new Map<string, string>()
  for (const field of FIELDS) {
    const view = event[field] as Field
    t.ok(view.citations.length > 0, `${field} is cited`)
    for (const citation of view.citations) {
      if (citation.sourceId === SEED.rbc) continue // not archived: no offsets, as the records' release dates
      if (!contents.has(citation.sourceId!)) contents.set(citation.sourceId!, (await http.get(`/v1/sources/${citation.sourceId}/content`)).text)
      t.equal(wordsAt(contents.get(citation.sourceId!)!, citation), citation.quote, `${field}: the quote is the source's words at its offsets`)
    }
  }
  const composition = (event.composition as Field).citations[0]
  t.equal(composition.sourceId, SEED.articleB, 'the composition comes from article B')
  t.match(composition.quote, 'five Belarusians, three Polish citizens, two Latvians, two Japanese nationals, one Estonian, and one Swede')

  t.equal(event.participants.length, 14, 'the 14 seeded records took part')
  t.same(event.comparison.count, { stated: 14, linked: 14 })
  t.same(event.comparison.composition[0], { nationality: 'BY', stated: 5, identified: 1 }, '1 Belarusian identified of 5 stated')
  t.equal(event.comparison.unknownNationality, 13)
  t.same(event.comparison.contradictions, [])
  t.ok(event.comparison.missing.includes('4 of the 5 of nationality BY not identified yet'))
  t.ok(event.comparison.missing.includes('none of the 3 of nationality PL identified yet'))

  // GET one is the same document, with an ETag that answers 304.
  const one = await http.get(`/v1/events/${SEED.release}`)
  t.same(one.body, event)
  t.equal((await http.get(`/v1/events/${SEED.release}`).set('if-none-match', one.headers.etag)).status, 304)
  t.equal((await http.get('/v1/events/00000000-0000-4000-8000-000000000000')).status, 404)
  t.equal((await http.get('/v1/events/not-an-id')).status, 400)

  // Every record links to it; the event filter lists them, with search too.
  const records = await http.get('/v1/prisoners').query({ event: SEED.release, limit: 50 })
  t.equal(records.body.data.length, 14)
  for (const record of records.body.data) t.same(record.events, [{ id: SEED.release }], `${record.id} lists the release`)
  t.equal((await http.get('/v1/prisoners').query({ event: SEED.release, q: 'Tsikhanouski' })).body.data.length, 1)
  t.equal((await http.get('/v1/prisoners').query({ event: '00000000-0000-4000-8000-000000000000' })).body.data.length, 0)
  t.equal((await http.get('/v1/prisoners').query({ event: 'June' })).status, 400)

  // Audit counts events too: their citations are checked, their values covered.
  const audit = await volunteer.get('/v1/audit/verify')
  t.equal(audit.body.ok, true)
  const eventCitations = FIELDS.reduce((sum, field) => sum + (event[field] as Field).citations.length, 0)
  const recordCitations = (await http.get('/v1/prisoners').query({ limit: 50 })).body.data.reduce(
    (sum: number, record: Record<string, Field>) =>
      sum + PRISONER_FIELDS.reduce(
        (n, field) => n + record[field].citations.length + record[field].alternatives.reduce((m, a) => m + a.citations.length, 0),
        0,
      ),
    0,
  )
  t.equal(audit.body.citations.total, recordCitations + eventCitations, "the records' citations and the event's are all checked")
  const coverage = (await http.get('/v1/audit/coverage')).body
  t.same(coverage.events, {
    events: 1,
    values: 8,
    citedValues: 8,
    fieldsWithDisagreements: 0,
    byField: Object.fromEntries(FIELDS.map((field) => [field, { values: 1, citedValues: 1, withDisagreement: 0 }])),
  })
  t.ok(eventCitations >= 12, `${eventCitations} citations of the event`)
})

t.test('audit verify checks the citations of events: a quote changed behind the API is reported with its event', async (t) => {
  const { volunteer, database } = await buildTestApp(t)
  const before = (await volunteer.get('/v1/audit/verify')).body
  const row = await database.get<{ id: string }>("SELECT c.id FROM event_citations c JOIN event_claims k ON k.id = c.claim_id WHERE k.field = 'composition'")
  await database.dataSource.query(database.sql('UPDATE event_citations SET quote = ? WHERE id = ?'), ['six Belarusians', row!.id])
  const after = (await volunteer.get('/v1/audit/verify')).body
  t.equal(after.ok, false)
  t.equal(after.citations.total, before.citations.total)
  t.match(after.failures, [{ kind: 'quote-mismatch', citationId: row!.id, eventId: SEED.release, field: 'composition', quote: 'six Belarusians' }])
})

t.test('editors add and change events (published at once), every value checked against its source; nothing is saved from a refused write', async (t) => {
  const { http, editor, volunteer, database } = await buildTestApp(t)
  const count = async () => Number((await database.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n)
  const body = {
    kind: { value: 'release', citations: [{ sourceId: SEED.articleA, quote: 'have been released by the Belarusian authorities' }] },
    count: { value: 14, citations: [{ sourceId: SEED.articleA, quote: 'the transfer of 14 prisoners to Lithuania' }] },
    comment: 'The same release as a second event, for the test.',
  }
  t.equal((await http.post('/v1/events').send(body)).status, 401)

  const uncited = await editor.post('/v1/events').send({ ...body, place: { value: 'Minsk', citations: [] } })
  t.equal(uncited.status, 422)
  t.equal(uncited.body.type, '/problems/uncited-value')
  t.match(uncited.body.errors, [{ path: '/place/citations' }])
  const misquoted = await editor.post('/v1/events').send({ ...body, count: { value: 15, citations: [{ sourceId: SEED.articleA, quote: 'the release of the 15 individuals' }] } })
  t.equal(misquoted.status, 422)
  t.equal(misquoted.body.type, '/problems/quote-not-found')
  t.match(misquoted.body.errors, [{ path: '/count/citations/0' }])
  for (const [composition, why] of [
    [{ by: 5 }, 'lower-case code'],
    [{ XX: 5 }, 'no such country'],
    [{ BY: 0 }, 'no one'],
    [{ BY: 2.5 }, 'half a person'],
    [[5], 'a list'],
    [{}, 'empty'],
  ] as const) {
    const refused = await editor.post('/v1/events').send({ ...body, composition: { value: composition, citations: body.count.citations } })
    t.equal(refused.status, 422, `composition ${why}`)
    t.match(refused.body.errors, [{ path: '/composition/value' }], `composition ${why}: the field is named`)
  }
  t.equal((await editor.post('/v1/events').send({ comment: 'nothing' })).status, 422, 'an event needs a cited value')
  t.equal(await count(), 1, 'nothing saved from the refused writes')

  const created = await editor.post('/v1/events').send(body)
  t.equal(created.status, 201)
  t.equal(created.headers.location, `/v1/events/${created.body.id}`)
  t.equal(created.body.version, 1)
  t.same(created.body.participants, [])
  t.same(created.body.comparison.missing, ['14 people of the 14 stated not linked to the event yet'])
  t.equal(await count(), 2)

  // Changes need the ETag read; the old value stays, deprecated, out of reads.
  const id = created.body.id as string
  const change = { count: { value: 14, citations: [{ sourceId: SEED.articleA, quote: 'securing the release of the 14 individuals' }] } }
  t.equal((await volunteer.patch(`/v1/events/${id}`).set('if-match', created.headers.etag).send(change)).status, 202, 'a volunteer proposes the change instead')
  t.equal((await editor.patch(`/v1/events/${id}`).send(change)).status, 428)
  t.equal((await editor.patch(`/v1/events/${id}`).set('if-match', '"AAAAAAAAAAAAAAAAAAAAAAAAAAA"').send(change)).status, 412)
  const changed = await editor.patch(`/v1/events/${id}`).set('if-match', created.headers.etag).send(change)
  t.equal(changed.status, 200)
  t.equal(changed.body.version, 2)
  t.equal(changed.body.count.citations[0].quote, 'securing the release of the 14 individuals')
  t.equal(changed.body.kind.value, 'release', 'fields not sent stay')
  t.equal((await editor.patch(`/v1/events/${id}`).set('if-match', created.headers.etag).send(change)).status, 412, 'the old ETag no longer matches')
  t.equal(changed.headers.etag, (await http.get(`/v1/events/${id}`)).headers.etag, 'the ETag answered is the one GET gives')

  // Newest first, events without a date last; pages follow next.
  const dated = await editor.post('/v1/events').send({ ...body, date: { value: '2025-09', citations: [{ sourceId: SEED.articleA, quote: 'Fourteen political prisoners' }] } })
  t.equal(dated.status, 201)
  const first = await http.get('/v1/events').query({ limit: 2 })
  t.same(first.body.data.map((event: { id: string }) => event.id), [dated.body.id, SEED.release])
  const second = await http.get('/v1/events').query({ limit: 2, cursor: first.body.next })
  t.same(second.body.data.map((event: { id: string }) => event.id), [id])
  t.equal(second.body.next, null)
  t.same((await http.get('/v1/events').query({ kind: 'pardon' })).body.data, [])
  t.equal((await http.get('/v1/events').query({ kind: 'party' })).status, 400)
  t.equal((await http.get('/v1/events').query({ cursor: 'bm90IGEgY3Vyc29y' })).status, 400)
})

t.test('records link to events through their own writes: history, checks, and what the comparison says', async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const sourceId = SEED.articleB
  const event = await editor.post('/v1/events').send({
    kind: { value: 'release', citations: [{ sourceId, quote: 'have been freed from jail' }] },
    count: { value: 2, citations: [{ sourceId, quote: 'two Latvians' }] },
    composition: { value: { LV: 2 }, citations: [{ sourceId, quote: 'two Latvians' }] },
  })
  t.equal(event.status, 201)
  const eventId = event.body.id as string

  // A new record may name the events it took part in; an event that does not exist is refused at its index.
  const unknown = await editor.post('/v1/prisoners').send({
    nationality: { value: 'EE', citations: [{ sourceId, quote: 'one Estonian' }] },
    events: [eventId, '00000000-0000-4000-8000-000000000000'],
  })
  t.equal(unknown.status, 422)
  t.match(unknown.body.errors, [{ path: '/events/1', message: /no published event has id/ }])
  t.equal((await editor.post('/v1/prisoners').send({ nationality: { value: 'EE', citations: [{ sourceId, quote: 'one Estonian' }] }, events: [eventId, eventId] })).status, 422)

  const created = await editor.post('/v1/prisoners').send({
    nationality: { value: 'EE', citations: [{ sourceId, quote: 'one Estonian' }] },
    events: [eventId],
  })
  t.equal(created.status, 201)
  t.same(created.body.events, [{ id: eventId }])
  const after = (await http.get(`/v1/events/${eventId}`)).body
  t.same(after.participants, [{ id: created.body.id, name: null, nationality: 'EE' }])
  t.same(after.comparison.composition, [
    { nationality: 'LV', stated: 2, identified: 0 },
    { nationality: 'EE', stated: 0, identified: 1 },
  ])
  t.same(after.comparison.contradictions, ['1 person of nationality EE linked, which the composition does not include'])

  // An editor's PATCH changes the list, as a new version in the history; the same list again changes nothing.
  const seeded = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const linked = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', seeded.headers.etag).send({ events: [SEED.release, eventId], comment: 'Also in the test release.' })
  t.equal(linked.status, 200)
  t.equal(linked.body.version, 2)
  t.same(linked.body.events, [{ id: SEED.release }, { id: eventId }].sort((a, b) => (a.id < b.id ? -1 : 1)))
  const again = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', linked.headers.etag).send({ events: [eventId, SEED.release] })
  t.equal(again.body.version, 2, 'the same events in another order are no change')
  const history = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.same(history[0].changes.events.before, [{ id: SEED.release }])
  t.equal(history[0].changes.events.after.length, 2)
  t.equal((await http.get(`/v1/events/${eventId}`)).body.comparison.count.linked, 2)

  const unlinked = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', linked.headers.etag).send({ events: [] })
  t.equal(unlinked.status, 200)
  t.equal(unlinked.body.events, undefined, 'a record in no event lists none')
  t.equal((await http.get(`/v1/events/${SEED.release}`)).body.comparison.count.linked, 13)

  // Volunteers propose links as they propose fields: held for an editor, applied on approval.
  const refused = await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', unlinked.headers.etag).send({ events: ['00000000-0000-4000-8000-000000000000'] })
  t.equal(refused.status, 422, 'a proposal names only published events')
  t.match(refused.body.errors, [{ path: '/events/0' }])
  const proposal = await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', unlinked.headers.etag).send({ events: [SEED.release], comment: 'Article B counts her among the 14.' })
  t.equal(proposal.status, 202)
  t.same(proposal.body.events, [SEED.release])
  t.same(proposal.body.fields, {})
  t.same((await http.get(`/v1/prisoners/${SEED.karnei}`)).body.events, undefined, 'nothing changes before review')
  t.match((await editor.get('/v1/review')).body.proposals, [{ id: proposal.body.id, events: [SEED.release] }])
  const approved = await editor.post(`/v1/proposals/${proposal.body.id}/review`).send({ decision: 'approve' })
  t.equal(approved.status, 200)
  t.same((await http.get(`/v1/prisoners/${SEED.karnei}`)).body.events, [{ id: SEED.release }], 'linked on approval')
  t.equal((await http.get(`/v1/events/${SEED.release}`)).body.comparison.count.linked, 14)
  const relinked = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const stale = await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', relinked.headers.etag).send({ events: [] })
  t.equal(stale.status, 202)
  t.equal((await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', relinked.headers.etag).send({ events: [] })).status, 200)
  const clash = await editor.post(`/v1/proposals/${stale.body.id}/review`).send({ decision: 'approve' })
  t.equal(clash.status, 409, 'links changed since the proposal: no silent overwrite')
  t.match(clash.body.detail, /events changed/)

  // A deleted record leaves the event's participants.
  t.same((await http.get(`/v1/events/${eventId}`)).body.participants.map((p: { id: string }) => p.id), [created.body.id])
  const current = await http.get(`/v1/prisoners/${created.body.id}`)
  t.equal((await editor.delete(`/v1/prisoners/${created.body.id}`).set('if-match', current.headers.etag)).status, 204)
  t.same((await http.get(`/v1/events/${eventId}`)).body.participants, [])
})

t.test("an event's citation of a private source shows the public only that one exists", async (t) => {
  const { http, editor } = await buildTestApp(t)
  const letter = await editor
    .post('/v1/sources')
    .send({ title: "A family's letter", kind: 'other', language: 'en', private: true, content: 'Our son was among the 14 freed on 21 June and taken to Vilnius.' })
  t.equal(letter.status, 201)
  const event = await editor.post('/v1/events').send({
    place: { value: 'Vilnius', citations: [{ sourceId: letter.body.id, quote: 'taken to Vilnius' }] },
  })
  t.equal(event.status, 201)
  t.equal(event.body.place.citations[0].quote, 'taken to Vilnius', 'editors read it')
  const shown = (await http.get(`/v1/events/${event.body.id}`)).body.place
  t.equal(shown.value, 'Vilnius')
  t.match(shown.citations, [{ private: true, sourceId: null, quote: null, start: null, end: null }])
  t.notMatch((await http.get('/v1/events')).text, /taken to Vilnius/)
})

t.test("an event's history records every change, and a deleted event leaves reads until an editor restores it", async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const letter = await editor.post('/v1/sources').send({ title: 'A testimony', kind: 'other', language: 'en', private: true, content: 'We were 14 on the bus to Vilnius.' })
  const created = await editor.post('/v1/events').send({
    kind: { value: 'transfer', citations: [{ sourceId: SEED.articleA, quote: 'were transferred to Lithuania' }] },
    comment: 'From article A.',
  })
  t.equal(created.status, 201)
  const id = created.body.id as string
  const changed = await editor
    .patch(`/v1/events/${id}`)
    .set('if-match', created.headers.etag)
    .send({ place: { value: 'Vilnius', citations: [{ sourceId: letter.body.id, quote: 'the bus to Vilnius' }] }, comment: 'A testimony names the city.' })
  t.equal(changed.status, 200)

  const history = await http.get(`/v1/events/${id}/history`)
  t.equal(history.status, 200)
  t.same(history.body.data.map((revision: { version: number; action: string }) => [revision.version, revision.action]), [[2, 'update'], [1, 'create']])
  t.match(history.body.data[1].actor, /^editor [0-9a-f]{6}$/)
  t.equal((await editor.get(`/v1/events/${id}/history`)).body.data[1].actor, 'Edgar Editor', 'editors read names')
  t.equal(history.body.data[1].comment, 'From article A.')
  t.equal(history.body.data[1].changes.kind.before, null)
  t.equal(history.body.data[1].changes.kind.after.value, 'transfer')
  t.equal(history.body.data[1].changes.kind.after.claimId, created.body.kind.claimId, 'the history names the claims reads show')
  t.same(history.body.data[0].changes.place.before, { value: null, claimId: null, citations: [], alternatives: [] })
  t.match(history.body.data[0].changes.place.after.citations, [{ private: true, quote: null }], 'a private source stays private in the history')
  t.notMatch(history.text, /bus to Vilnius/)
  t.match((await editor.get(`/v1/events/${id}/history`)).body.data[0].changes.place.after.citations, [{ quote: 'the bus to Vilnius' }], 'editors read it')
  t.equal((await http.get('/v1/events/00000000-0000-4000-8000-000000000000/history')).status, 404)

  // Delete: editors only, with If-Match; the event leaves reads and lists, its history stays for editors.
  const current = await editor.get(`/v1/events/${id}`)
  t.equal((await volunteer.delete(`/v1/events/${id}`).set('if-match', current.headers.etag)).status, 403)
  t.equal((await editor.delete(`/v1/events/${id}`)).status, 428)
  t.equal((await editor.delete(`/v1/events/${id}`).set('if-match', created.headers.etag)).status, 412)
  t.equal((await editor.delete(`/v1/events/${id}?comment=${encodeURIComponent('Entered twice.')}`).set('if-match', current.headers.etag)).status, 204)
  t.equal((await http.get(`/v1/events/${id}`)).status, 404)
  t.equal((await volunteer.get(`/v1/events/${id}`)).status, 404)
  t.equal((await http.get(`/v1/events/${id}/history`)).status, 404)
  t.same((await http.get('/v1/events')).body.data.map((event: { id: string }) => event.id), [SEED.release])
  const deleted = await editor.get(`/v1/events/${id}`)
  t.equal(deleted.status, 200)
  t.ok(deleted.headers['deleted-at'], 'editors read it, marked deleted')
  t.equal((await editor.patch(`/v1/events/${id}`).set('if-match', deleted.headers.etag).send({ place: { value: null, citations: [] } })).status, 404, 'a deleted event is not changed')
  const link = await editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleA, quote: 'were transferred to Lithuania' }] }, events: [id] })
  t.equal(link.status, 422, 'no record is linked to a deleted event')
  t.equal((await http.get('/v1/audit/coverage')).body.events.events, 1, 'coverage leaves it out')

  // Restore: with the ETag of the deleted event.
  t.equal((await editor.post(`/v1/events/${id}/restore`).set('if-match', current.headers.etag).send({})).status, 412)
  const restored = await editor.post(`/v1/events/${id}/restore`).set('if-match', deleted.headers.etag).send({ comment: 'Not a duplicate after all.' })
  t.equal(restored.status, 200)
  t.equal(restored.body.version, 4)
  t.equal((await http.get(`/v1/events/${id}`)).status, 200)
  const actions = (await http.get(`/v1/events/${id}/history`)).body.data.map((revision: { action: string; comment: string | null }) => [revision.action, revision.comment])
  t.same(actions, [['restore', 'Not a duplicate after all.'], ['delete', 'Entered twice.'], ['update', 'A testimony names the city.'], ['create', 'From article A.']])
  t.equal((await editor.post(`/v1/events/${id}/restore`).set('if-match', restored.headers.etag).send({})).status, 404, 'only a deleted event is restored')
})

t.test("a volunteer's event waits for an editor: read by its key and editors only, changed by its key until reviewed, public once approved", async (t) => {
  const { app, http, editor, volunteer, admin } = await buildTestApp(t)
  const other = (await admin.post('/v1/keys').send({ name: 'Otto Other', role: 'volunteer' })).body.key as string
  const asOther = supertest.agent(app.server).set('authorization', `Bearer ${other}`)
  const body = {
    kind: { value: 'release', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
    count: { value: 2, citations: [{ sourceId: SEED.articleB, quote: 'two Japanese nationals' }] },
    comment: 'The two Japanese nationals, as a group of their own.',
  }
  const created = await volunteer.post('/v1/events').send(body)
  t.equal(created.status, 201)
  t.equal(created.headers['review-status'], 'pending', 'the volunteer is told it waits for review')
  const id = created.body.id as string

  const own = await volunteer.get(`/v1/events/${id}`)
  t.same([own.status, own.headers['review-status']], [200, 'pending'], 'its key follows it')
  const submitted = (await volunteer.get('/v1/submissions')).body.events
  t.match(submitted, [{ id, kind: 'release', date: null, state: 'pending' }], 'listed in its submissions')
  t.same((await asOther.get('/v1/submissions')).body.events, [], "not in another volunteer's")
  t.equal((await editor.get(`/v1/events/${id}`)).headers['review-status'], 'pending')
  for (const [who, agent] of [['anonymous', http], ['another volunteer', asOther]] as const) {
    t.equal((await agent.get(`/v1/events/${id}`)).status, 404, `${who}: not readable`)
    t.equal((await agent.get(`/v1/events/${id}/history`)).status, 404, `${who}: no history`)
    t.notOk((await agent.get('/v1/events')).text.includes(id), `${who}: not listed`)
  }
  t.notOk((await volunteer.get('/v1/events')).text.includes(id), 'lists are the public registry, whatever the key')
  t.notOk((await http.get('/v1/changes/events')).text.includes(id), 'not in the feed')
  t.notOk((await http.get('/v1/export/events?format=ndjson')).text.includes(id), 'not exported')
  t.equal((await http.get('/v1/audit/coverage')).body.events.events, 1, 'not counted')
  const link = await editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] }, events: [id] })
  t.equal(link.status, 422, 'no record links to an event waiting for review')
  t.match(link.body.errors, [{ path: '/events/0', message: /waiting for review/ }])

  // Its key may still change it; nobody else but editors.
  const change = { toCountry: { value: 'LT', citations: [{ sourceId: SEED.articleB, quote: 'granted safe haven in Lithuania' }] } }
  t.equal((await asOther.patch(`/v1/events/${id}`).set('if-match', created.headers.etag).send(change)).status, 404, 'another volunteer: it does not exist')
  const changed = await volunteer.patch(`/v1/events/${id}`).set('if-match', created.headers.etag).send(change)
  t.equal(changed.status, 200)
  t.equal(changed.body.toCountry.value, 'LT')

  // In the review queue, with the ETag a review needs.
  const queue = await editor.get('/v1/review')
  t.equal(queue.status, 200)
  const waiting = queue.body.events.find((event: { id: string }) => event.id === id)
  t.ok(waiting, 'the event waits in the queue')
  t.equal(waiting.createdBy, 'Vera Volunteer')
  t.equal(waiting.etag, changed.headers.etag)
  t.equal((await volunteer.post(`/v1/events/${id}/review`).set('if-match', waiting.etag).send({ decision: 'approve' })).status, 403, 'volunteers do not review')
  t.equal((await editor.post(`/v1/events/${id}/review`).send({ decision: 'approve' })).status, 428)
  t.equal((await editor.post(`/v1/events/${id}/review`).set('if-match', created.headers.etag).send({ decision: 'approve' })).status, 412)
  t.equal((await editor.post(`/v1/events/${id}/review`).set('if-match', waiting.etag).send({ decision: 'maybe' })).status, 422)
  const approved = await editor.post(`/v1/events/${id}/review`).set('if-match', waiting.etag).send({ decision: 'approve', comment: 'Both quotes checked.' })
  t.equal(approved.status, 200)
  t.equal(approved.headers['review-status'], 'published')
  t.equal((await editor.post(`/v1/events/${id}/review`).set('if-match', approved.headers.etag).send({ decision: 'reject' })).status, 409, 'reviewed once')
  t.equal((await http.get(`/v1/events/${id}`)).status, 200, 'public now')
  t.ok((await http.get('/v1/events')).text.includes(id), 'listed')
  t.notOk((await editor.get('/v1/review')).body.events.some((event: { id: string }) => event.id === id), 'out of the queue')
  const proposed = await volunteer.patch(`/v1/events/${id}`).set('if-match', approved.headers.etag).send(change)
  t.equal(proposed.status, 202, 'once published, a volunteer proposes changes')
  const history = (await http.get(`/v1/events/${id}/history`)).body.data
  t.same(
    history.map((revision: { action: string }) => revision.action),
    ['review', 'update', 'create'],
    'the proposal changed nothing yet',
  )
  t.same(history[0].changes.reviewStatus, { before: 'pending', after: 'published' })
  t.same(Object.keys(history[0].changes).sort(), ['count', 'kind', 'reviewStatus', 'toCountry'], 'the approval carries every field')

  // The feed shows it from its approval on, all its fields at once.
  const feed = (await http.get('/v1/changes/events')).body.data.filter((entry: { eventId: string }) => entry.eventId === id)
  t.same(
    feed.map((entry: { action: string; state: string; version: number }) => [entry.action, entry.state, entry.version]),
    [['review', 'published', 3]],
  )
  t.same(feed[0].changes.map((change: { field: string }) => change.field).sort(), ['count', 'kind', 'toCountry'])
  t.equal(feed[0].changes.find((change: { field: string }) => change.field === 'toCountry').after.value, 'LT')

  // A rejected event stays out for good, except for its key and editors.
  const second = await volunteer.post('/v1/events').send(body)
  const rejected = await editor.post(`/v1/events/${second.body.id}/review`).set('if-match', second.headers.etag).send({ decision: 'reject', comment: 'The same release as the seed.' })
  t.equal(rejected.status, 200)
  t.equal(rejected.headers['review-status'], 'rejected')
  t.equal((await http.get(`/v1/events/${second.body.id}`)).status, 404)
  t.equal((await volunteer.get(`/v1/events/${second.body.id}`)).headers['review-status'], 'rejected', 'its key reads the outcome')
  t.same(
    (await volunteer.get('/v1/submissions')).body.events.map((event: { id: string; state: string }) => [event.id, event.state]),
    [
      [second.body.id, 'rejected'],
      [id, 'published'],
    ],
    'its submissions say where each stands',
  )
  t.equal((await volunteer.patch(`/v1/events/${second.body.id}`).set('if-match', rejected.headers.etag).send(change)).status, 403, 'a rejected event is changed by editors only')
  t.notOk((await http.get('/v1/changes/events')).text.includes(second.body.id), 'never in the feed')
})

t.test("the events' change feed: every public change in order, pages by since, private citations as such", async (t) => {
  const { http, editor } = await buildTestApp(t)
  const first = await http.get('/v1/changes/events')
  t.equal(first.status, 200)
  t.same(
    first.body.data.map((entry: { eventId: string; action: string; state: string }) => [entry.eventId, entry.action, entry.state]),
    [[SEED.release, 'create', 'published']],
    'the seed: the release, created',
  )
  const seeded = first.body.data[0]
  t.same(seeded.changes.map((change: { field: string }) => change.field).sort(), ['brokeredBy', 'composition', 'count', 'date', 'fromCountry', 'kind', 'place', 'toCountry'])
  const composition = seeded.changes.find((change: { field: string }) => change.field === 'composition')
  t.equal(composition.before, null)
  t.same(composition.after.value, { BY: 5, PL: 3, LV: 2, JP: 2, EE: 1, SE: 1 })
  t.same(composition.citationsAdded, composition.after.citations.map((citation: { id: string }) => citation.id))
  t.equal(first.body.hasMore, false)

  const letter = await editor.post('/v1/sources').send({ title: 'A letter', kind: 'other', language: 'en', private: true, content: 'They left from Minsk at dawn.' })
  const release = await editor.get(`/v1/events/${SEED.release}`)
  const changed = await editor
    .patch(`/v1/events/${SEED.release}`)
    .set('if-match', release.headers.etag)
    .send({ place: { value: 'Minsk', citations: [{ sourceId: letter.body.id, quote: 'from Minsk at dawn' }] }, comment: 'A letter names the city.' })
  t.equal(changed.status, 200)
  const deleted = await editor.delete(`/v1/events/${SEED.release}?comment=test`).set('if-match', changed.headers.etag)
  t.equal(deleted.status, 204)

  const next = await http.get('/v1/changes/events').query({ since: first.body.next })
  t.same(
    next.body.data.map((entry: { action: string; state: string; version: number; comment: string | null }) => [entry.action, entry.state, entry.version, entry.comment]),
    [
      ['update', 'published', 2, 'A letter names the city.'],
      ['delete', 'deleted', 3, 'test'],
    ],
  )
  t.match(next.body.data[0].changes, [{ field: 'place', before: { value: 'Minsk' }, after: { value: 'Minsk', citations: [{ private: true, quote: null, sourceId: null }] } }])
  t.equal(next.body.data[0].changes[0].citationsRemoved.length, 1, "article A's citation left the field")
  t.notMatch(next.text, /at dawn/, 'a private source stays private in the feed')
  t.same(next.body.data[1].changes, [], 'a deletion changes no field')
  const paged = await http.get('/v1/changes/events').query({ limit: 1, since: first.body.next })
  t.equal(paged.body.data.length, 1)
  t.equal(paged.body.hasMore, true)
  t.equal((await http.get('/v1/changes/events').query({ since: next.body.next })).body.data.length, 0, 'nothing newer')
  t.equal((await http.get('/v1/changes/events').query({ since: 'bm9wZQ' })).status, 400)
  t.equal((await http.get('/v1/changes/events').query({ limit: 0 })).status, 400)
})

t.test('the events export: every published event as GET answers it (NDJSON), or one row each (CSV) with its citations', async (t) => {
  const { http } = await buildTestApp(t)
  const ndjson = await http.get('/v1/export/events').query({ format: 'ndjson' })
  t.equal(ndjson.status, 200)
  t.match(ndjson.headers['content-type'], /application\/x-ndjson/)
  t.match(ndjson.headers['content-disposition'], /attachment; filename="events-\d{4}-\d{2}-\d{2}\.ndjson"/)
  const lines = ndjson.text.trimEnd().split('\n')
  t.equal(lines.length, 1)
  t.equal(lines[0], (await http.get(`/v1/events/${SEED.release}`)).text, 'the line is the event as GET answers it')

  const csv = await http.get('/v1/export/events').query({ format: 'csv' }).buffer(true).parse((res, done) => {
    let text = ''
    res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
    res.on('end', () => done(null, text))
  })
  t.equal(csv.status, 200)
  t.match(csv.headers['content-type'], /text\/csv/)
  const rows = (csv.body as string).replace(/^\ufeff/, '').trimEnd().split('\r\n')
  t.equal(rows.length, 2, 'a header and one event')
  const header = rows[0].split(',')
  t.same(header.slice(0, 11), ['id', 'version', 'kind', 'date', 'place', 'from_country', 'to_country', 'count', 'composition', 'brokered_by', 'participants'])
  const cells = Object.fromEntries(header.map((name, i) => [name, rows[1].split(',')[i]]))
  t.equal(cells.id, SEED.release)
  t.equal(cells.count, '14')
  t.equal(cells.composition, 'BY:5 | PL:3 | LV:2 | JP:2 | EE:1 | SE:1')
  t.equal(cells.participants.split(' | ').length, 14)
  t.match(rows[1], new RegExp(`${SEED.articleB}\\[\\d+:\\d+\\] ""[^"]*five Belarusians`), 'the composition cites article B at its offsets')
  t.equal((await http.get('/v1/export/events').query({ format: 'xml' })).status, 400)
})

t.test("a volunteer's change of a published event is a proposal: held for an editor, applied on approval, refused when the event changed since", async (t) => {
  const { app, http, editor, volunteer, admin } = await buildTestApp(t)
  const other = (await admin.post('/v1/keys').send({ name: 'Otto Other', role: 'volunteer' })).body.key as string
  const asOther = supertest.agent(app.server).set('authorization', `Bearer ${other}`)
  const release = await http.get(`/v1/events/${SEED.release}`)
  const place = { place: { value: 'Minsk', citations: [{ sourceId: SEED.articleB, quote: 'Minsk' }] }, comment: 'Article B names the city too.' }

  const misquoted = await volunteer.patch(`/v1/events/${SEED.release}`).set('if-match', release.headers.etag).send({ count: { value: 15, citations: [{ sourceId: SEED.articleB, quote: 'fifteen people' }] } })
  t.equal(misquoted.status, 422, 'a proposal is checked like any write')
  t.equal((await volunteer.patch(`/v1/events/${SEED.release}`).send(place)).status, 428)
  const proposed = await volunteer.patch(`/v1/events/${SEED.release}`).set('if-match', release.headers.etag).send(place)
  t.equal(proposed.status, 202)
  t.equal(proposed.headers.location, `/v1/events/proposals/${proposed.body.id}`)
  t.match(proposed.body, { eventId: SEED.release, baseVersion: 1, status: 'pending', proposedBy: 'Vera Volunteer', comment: 'Article B names the city too.' })
  t.notOk('proposedByKey' in proposed.body, "the proposer's key id is not shown")
  t.equal((await http.get(`/v1/events/${SEED.release}`)).text, release.text, 'the event is unchanged until an editor decides')

  t.equal((await volunteer.get(proposed.headers.location)).status, 200, 'its volunteer reads it')
  t.equal((await asOther.get(proposed.headers.location)).status, 404, 'another volunteer does not')
  t.equal((await http.get(proposed.headers.location)).status, 401)
  t.match((await volunteer.get('/v1/submissions')).body.eventProposals, [{ id: proposed.body.id, eventId: SEED.release, status: 'pending' }])
  t.match((await editor.get('/v1/review')).body.eventProposals, [{ id: proposed.body.id }], 'it waits in the review queue')

  // Approval applies it as a new version, in the history and the feed.
  t.equal((await volunteer.post(`/v1/events/proposals/${proposed.body.id}/review`).send({ decision: 'approve' })).status, 403)
  const approved = await editor.post(`/v1/events/proposals/${proposed.body.id}/review`).send({ decision: 'approve', comment: 'Checked.' })
  t.equal(approved.status, 200)
  t.match(approved.body, { status: 'approved', decidedBy: 'Edgar Editor', decisionComment: 'Checked.' })
  const after = await http.get(`/v1/events/${SEED.release}`)
  t.equal(after.body.version, 2)
  t.same(after.body.place.citations.map((citation: { quote: string }) => citation.quote), ['Minsk'])
  const [latest] = (await http.get(`/v1/events/${SEED.release}/history`)).body.data
  t.match(latest, { version: 2, action: 'review', actor: /^editor [0-9a-f]{6}$/, comment: new RegExp(`Approved proposal ${proposed.body.id} by volunteer [0-9a-f]{6}: Checked.`) })
  t.same(Object.keys(latest.changes), ['place'])
  t.equal((await editor.post(`/v1/events/proposals/${proposed.body.id}/review`).send({ decision: 'reject' })).status, 409, 'decided once')
  t.equal((await editor.get('/v1/review')).body.eventProposals.length, 0)

  // A proposal made on version 2 of a field an editor then changes is refused on approval: no silent overwrite.
  const stale = await volunteer.patch(`/v1/events/${SEED.release}`).set('if-match', after.headers.etag).send({ toCountry: { value: 'LT', citations: [{ sourceId: SEED.articleB, quote: 'granted safe haven in Lithuania' }] } })
  t.equal(stale.status, 202)
  const edited = await editor.patch(`/v1/events/${SEED.release}`).set('if-match', after.headers.etag).send({ toCountry: { value: 'LT', citations: [{ sourceId: SEED.articleA, quote: 'were transferred to Lithuania' }] } })
  t.equal(edited.status, 200)
  const conflict = await editor.post(`/v1/events/proposals/${stale.body.id}/review`).send({ decision: 'approve' })
  t.equal(conflict.status, 409)
  t.match(conflict.body.detail, /toCountry changed/)
  t.equal((await http.get(`/v1/events/${SEED.release}`)).body.version, 3, 'nothing applied')
  const rejected = await editor.post(`/v1/events/proposals/${stale.body.id}/review`).send({ decision: 'reject', comment: 'An editor cited article A meanwhile.' })
  t.match(rejected.body, { status: 'rejected', decisionComment: 'An editor cited article A meanwhile.' })
  t.match((await volunteer.get(`/v1/events/proposals/${stale.body.id}`)).body, { status: 'rejected' }, 'its volunteer reads the outcome')
  t.equal((await editor.post('/v1/events/proposals/00000000-0000-4000-8000-000000000000/review').send({ decision: 'approve' })).status, 404)
})

t.test("an event field's claims: every value sources gave, ranked by editors with a reason, superseded ones kept", async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const letter = await editor.post('/v1/sources').send({ title: 'A letter', kind: 'other', language: 'en', private: true, content: 'We were driven out of Minsk at night.' })
  const release = await editor.get(`/v1/events/${SEED.release}`)
  const changed = await editor
    .patch(`/v1/events/${SEED.release}`)
    .set('if-match', release.headers.etag)
    .send({ place: { value: 'Minsk', citations: [{ sourceId: letter.body.id, quote: 'driven out of Minsk' }] } })
  t.equal(changed.status, 200)

  const listed = await http.get(`/v1/events/${SEED.release}/fields/place`)
  t.equal(listed.status, 200)
  t.equal(listed.body.field, 'place')
  t.same(
    listed.body.claims.map((claim: { rank: string; introducedIn: number; reason: string | null }) => [claim.rank, claim.introducedIn, claim.reason]),
    [
      ['preferred', 2, null],
      ['deprecated', 1, 'superseded in version 2'],
    ],
    'the superseded claim is kept, deprecated, with why',
  )
  t.match(listed.body.claims[0].citations, [{ private: true, quote: null }], 'a private source as such to the public')
  t.notMatch(listed.text, /driven out/)
  t.match((await editor.get(`/v1/events/${SEED.release}/fields/place`)).body.claims[0].citations, [{ quote: 'driven out of Minsk' }], 'editors read it')
  t.equal((await http.get(`/v1/events/${SEED.release}/fields/weather`)).status, 400)
  t.equal((await http.get('/v1/events/00000000-0000-4000-8000-000000000000/fields/place')).status, 404)

  // An editor prefers the article's claim again, with a reason: the letter's becomes an alternative.
  const articleClaim = listed.body.claims[1].id as string
  const rank = { claimId: articleClaim, rank: 'preferred', reason: 'A public source for the public record.' }
  t.equal((await volunteer.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', changed.headers.etag).send(rank)).status, 403)
  t.equal((await editor.post(`/v1/events/${SEED.release}/fields/place/rank`).send(rank)).status, 428)
  t.equal((await editor.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', release.headers.etag).send(rank)).status, 412)
  const unknown = await editor.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', changed.headers.etag).send({ ...rank, claimId: otherId(listed.body.claims[0].id) })
  t.equal(unknown.status, 422)
  t.match(unknown.body.errors, [{ path: '/claimId' }])
  t.equal((await editor.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', changed.headers.etag).send({ ...rank, claimId: listed.body.claims[0].id })).status, 409, 'already preferred')
  const ranked = await editor.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', changed.headers.etag).send(rank)
  t.equal(ranked.status, 200)
  t.equal(ranked.body.version, 3)
  t.equal(ranked.body.place.claimId, articleClaim)
  t.match(ranked.body.place.citations, [{ sourceId: SEED.articleA }])
  t.same(ranked.body.place.alternatives.map((alternative: { claimId: string }) => alternative.claimId), [listed.body.claims[0].id])
  const after = (await editor.get(`/v1/events/${SEED.release}/fields/place`)).body.claims
  t.same(
    after.map((claim: { id: string; rank: string; reason: string | null }) => [claim.id, claim.rank, claim.reason]),
    [
      [articleClaim, 'preferred', 'A public source for the public record.'],
      [listed.body.claims[0].id, 'normal', 'no longer preferred: A public source for the public record.'],
    ],
  )
  const [latest] = (await http.get(`/v1/events/${SEED.release}/history`)).body.data
  t.match(latest, { version: 3, action: 'update', comment: `place: claim ${articleClaim} preferred: A public source for the public record.` })
  t.equal(latest.changes.place.after.claimId, articleClaim)
})

t.test("every write's example in the contract is real: the events' examples, tried as Swagger UI sends them, are accepted", async (t) => {
  const { http, editor } = await buildTestApp(t)
  const spec = (await http.get('/docs/json')).body
  // Swagger UI takes a body's `example`, or its schema's.
  type Media = { example?: unknown; schema: { example?: unknown; properties: Record<string, { example?: unknown }> } }
  const exampleOf = (media: Media) => media.example ?? media.schema.example
  const example = (path: string, method: string) => exampleOf(spec.paths[path][method].requestBody.content['application/json']) as object
  for (const [path, method] of Object.entries<Record<string, { requestBody?: { content: Record<string, { schema?: { example?: unknown; properties?: object } }> } }>>(spec.paths).flatMap(
    ([path, item]) => Object.entries(item).map(([method, op]) => [path, method, op] as const),
  ).filter(([, , op]) => op.requestBody?.content['application/json']?.schema?.properties).map(([path, method]) => [path, method])) {
    const media: Media = spec.paths[path][method].requestBody.content['application/json']
    t.ok(exampleOf(media) !== undefined || Object.values(media.schema.properties).every((p) => p.example !== undefined), `${method} ${path} has an example`)
  }
  const created = await editor.post('/v1/events').send(example('/v1/events', 'post'))
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.same([created.body.date.value, created.body.toCountry.value, created.body.count.value], ['2025-06-21', 'LT', 14], 'the seeded release, not generated values')
  t.notMatch(JSON.stringify(spec), /3fa85f64|0661-12-30/, 'no sample values Swagger UI would make up')
  const changed = await editor.patch(`/v1/events/${created.body.id}`).set('if-match', created.headers.etag).send(example('/v1/events/{id}', 'patch'))
  t.equal(changed.status, 200, JSON.stringify(changed.body))
})
