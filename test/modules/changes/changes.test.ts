import t from 'tap'
import { PRISONER_FIELDS } from '../../../src/core/document/fields'
import { SEED, buildTestApp } from '../../helpers/test-app'

type Doc = Record<string, unknown> & { id: string }
interface Entry {
  seq: number
  recordId: string
  version: number
  at: string
  state: string
  recordCreatedAt: string
  action: string
  actor: string
  review: { of: string; decision: string } | null
  changes: { field: string; after: unknown; citationsAdded: string[]; citationsRemoved: string[] }[]
  events: { id: string }[] | null
}

const FIELDS = PRISONER_FIELDS
const EMPTY = { value: null, claimId: null, citations: [], alternatives: [] }
const cite = (quote: string, sourceId = SEED.articleA) => ({ sourceId, quote })

/** A mirror, built only from the feed, as the route's documentation tells one to build it. */
async function replay(http: { get: (url: string) => PromiseLike<{ body: { data: Entry[]; next: string; hasMore: boolean } }> }) {
  const records = new Map<string, { doc: Doc; state: string }>()
  let since = ''
  let entries: Entry[] = []
  for (;;) {
    const { body } = await http.get(`/v1/changes?limit=7${since ? `&since=${since}` : ''}`)
    entries = entries.concat(body.data)
    for (const entry of body.data) {
      const known = records.get(entry.recordId)
      const doc: Doc = known?.doc ?? { id: entry.recordId, ...Object.fromEntries(FIELDS.map((f) => [f, EMPTY])) }
      for (const change of entry.changes) doc[change.field] = change.after
      if (entry.events) doc.events = entry.events
      Object.assign(doc, { version: entry.version, createdAt: entry.recordCreatedAt, updatedAt: entry.at })
      records.set(entry.recordId, { doc, state: entry.state })
    }
    since = body.next
    if (!body.hasMore) break
  }
  // A record in no event lists none.
  const order = (doc: Doc) =>
    ['id', 'version', ...FIELDS, 'events', 'createdAt', 'updatedAt'].filter((key) => key !== 'events' || (doc.events as unknown[] | undefined)?.length).map((key) => [key, doc[key]])
  const published = [...records.values()].filter((r) => r.state === 'published').map((r) => Object.fromEntries(order(r.doc)))
  return { published: published.sort((a, b) => (a.id < b.id ? -1 : 1)), entries, since }
}

async function listed(http: { get: (url: string) => PromiseLike<{ body: { data: Doc[] } }> }) {
  return (await http.get('/v1/prisoners?limit=200')).body.data.sort((a, b) => (a.id < b.id ? -1 : 1))
}

t.test('replaying the change feed from the start reaches exactly what the list shows', async (t) => {
  const { http, volunteer, editor } = await buildTestApp(t)
  const etagOf = async (id: string) => (await editor.get(`/v1/prisoners/${id}`)).headers.etag

  // Creates: an editor's (public at once), a volunteer's approved, a volunteer's rejected, a volunteer's left pending.
  const byEditor = (await editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [cite('thirteen other political prisoners were freed')] } })).body
  const approved = (await volunteer.post('/v1/prisoners').send({ name: { value: 'Natallia Dulina', citations: [cite('Natallia Dulina')] }, status: { value: 'released', citations: [cite('thirteen other political prisoners were freed')] } })).body
  const rejected = (await volunteer.post('/v1/prisoners').send({ status: { value: 'detained', citations: [cite('remain in Belarusian custody')] } })).body
  const pending = (await volunteer.post('/v1/prisoners').send({ status: { value: 'released', citations: [cite('were freed')] } })).body

  // An editor corrects the volunteer's record while it is pending: the public never sees the first version.
  await editor.patch(`/v1/prisoners/${approved.id}`).set('if-match', await etagOf(approved.id)).send({ releaseDate: { value: '2025-06-21', citations: [cite('21 June 2025', SEED.rbc)] } })
  await editor.post(`/v1/prisoners/${approved.id}/review`).set('if-match', await etagOf(approved.id)).send({ decision: 'approve' })
  await editor.post(`/v1/prisoners/${rejected.id}/review`).set('if-match', await etagOf(rejected.id)).send({ decision: 'reject' })

  // Patches, a proposal approved and one rejected, a delete, a delete then restore.
  await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', await etagOf(SEED.karnei)).send({ name: { value: 'Ihar Karney', citations: [cite('Ihar Karney')] } })
  // Events: one record leaves the release, and the mirror follows (the seed's creates carry the links).
  await editor.patch(`/v1/prisoners/${SEED.tsikhanouski}`).set('if-match', await etagOf(SEED.tsikhanouski)).send({ events: [] })
  const proposal = (await volunteer.patch(`/v1/prisoners/${SEED.tsikhanouski}`).set('if-match', await etagOf(SEED.tsikhanouski)).send({ releaseDate: { value: '2025-06', citations: [cite('21 June 2025', SEED.rbc)] } })).body
  await editor.post(`/v1/proposals/${proposal.id}/review`).send({ decision: 'approve' })
  const refused = (await volunteer.patch(`/v1/prisoners/${byEditor.id}`).set('if-match', await etagOf(byEditor.id)).send({ status: { value: 'deceased', citations: [cite('were freed')] } })).body
  await editor.post(`/v1/proposals/${refused.id}/review`).send({ decision: 'reject' })
  await editor.delete(`/v1/prisoners/${byEditor.id}`).set('if-match', await etagOf(byEditor.id))
  await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', await etagOf(SEED.karnei))
  await editor.post(`/v1/prisoners/${SEED.karnei}/restore`).set('if-match', await etagOf(SEED.karnei)).send({})

  const { published, entries } = await replay(http)
  t.same(published, await listed(http), 'the mirror equals the list')
  t.equal(published.length, 15, 'the 14, one deleted, plus the approved one')

  const ids = new Set(entries.map((e) => e.recordId))
  t.notOk(ids.has(rejected.id), 'a rejected record never appears')
  t.notOk(ids.has(pending.id), 'a pending record does not appear')
  const publication = entries.find((e) => e.recordId === approved.id)!
  t.same([publication.action, publication.review], ['review', { of: 'record', decision: 'approved' }], "the approval is the record's first public change")
  t.same(publication.changes.map((c) => c.field).sort(), ['name', 'releaseDate', 'status'])
  const proposalReview = entries.find((e) => e.recordId === SEED.tsikhanouski && e.action === 'review')!
  t.same(proposalReview.review, { of: 'proposal', decision: 'approved' })
  t.equal(proposalReview.changes[0].citationsAdded.length, 1)
  t.equal(proposalReview.changes[0].citationsRemoved.length, 1)
  t.ok(entries.every((e, i) => i === 0 || e.seq > entries[i - 1].seq), 'in order')
})

t.test('the feed is cacheable and resumable', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const first = await http.get('/v1/changes')
  t.equal(first.body.data.length, 14, 'the seed: one create per record')
  t.equal(first.body.hasMore, false)
  const poll = await http.get(`/v1/changes?since=${first.body.next}`)
  t.same(poll.body.data, [])
  t.equal(poll.body.next, first.body.next, 'nothing new: the same cursor to poll with')
  t.equal((await http.get(`/v1/changes?since=${first.body.next}`).set('if-none-match', poll.headers.etag)).status, 304)

  await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag).send({ status: { value: 'released', citations: [cite('Ihar Karney')] } })
  const fresh = await http.get(`/v1/changes?since=${first.body.next}`).set('if-none-match', poll.headers.etag)
  t.equal(fresh.status, 200)
  t.same(fresh.body.data.map((e: Entry) => [e.recordId, e.action]), [[SEED.karnei, 'update']])
  t.match(fresh.body.data[0].actor, /^editor [0-9a-f]{6}$/, 'the feed is public: a role and a pseudonym, not the key name')
  t.equal((await http.get('/v1/changes?since=zzz')).status, 400)
})
