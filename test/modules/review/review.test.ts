import supertest from 'supertest'
import t from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

const released = { value: 'released', citations: [{ sourceId: SEED.articleA, quote: 'thirteen other political prisoners were freed' }] }
const names = async (http: { get: (url: string) => Promise<{ body: { data: { id: string }[] } }> }) =>
  (await http.get('/v1/prisoners?limit=200')).body.data.map((r) => r.id)

t.test("a volunteer's record is invisible until an editor approves it", async (t) => {
  const { http, volunteer, editor, admin, app } = await buildTestApp(t)
  const created = await volunteer.post('/v1/prisoners').send({
    name: { value: 'Natallia Dulina', citations: [{ sourceId: SEED.articleA, quote: 'Natallia Dulina' }] },
    status: released,
  })
  t.equal(created.status, 201)
  t.equal(created.headers['review-status'], 'pending', 'the volunteer is told it waits for review')
  const id = created.body.id
  const own = await volunteer.get(created.headers.location)
  t.same([own.status, own.headers['review-status'], own.headers['cache-control']], [200, 'pending', 'private, no-cache'], 'and can follow it with their key')
  t.equal((await volunteer.get(`/v1/prisoners/${id}/history`)).body.data[0].actor, 'Vera Volunteer')
  const other = (await admin.post('/v1/keys').send({ name: 'Otto Other', role: 'volunteer' })).body.key as string
  const asOther = (path: string) => supertest(app.server).get(path).set('authorization', `Bearer ${other}`)
  t.equal((await asOther(`/v1/prisoners/${id}`)).status, 404, "another volunteer does not see it")
  t.equal((await asOther(`/v1/prisoners/${id}/history`)).status, 404)

  t.notOk((await names(http)).includes(id), 'not in the public list')
  t.equal((await http.get(`/v1/prisoners/${id}`)).status, 404, 'not readable publicly')
  t.equal((await http.get(`/v1/prisoners/${id}/history`)).status, 404)
  t.equal((await http.get('/v1/prisoners').query({ q: 'Dulina' })).body.data.length, 1, 'search finds only the published Dulina')
  t.notOk((await http.get('/v1/export?format=ndjson')).text.includes(id), 'not exported')

  const queue = (await editor.get('/v1/review')).body
  t.same(queue.records.map((r: { id: string }) => r.id), [id])
  t.equal(queue.records[0].createdBy, 'Vera Volunteer')
  const asEditor = await editor.get(`/v1/prisoners/${id}`)
  t.equal(asEditor.headers['review-status'], 'pending')

  const noMatch = await editor.post(`/v1/prisoners/${id}/review`).send({ decision: 'approve' })
  t.equal(noMatch.status, 428, 'approval also needs If-Match')
  const approved = await editor
    .post(`/v1/prisoners/${id}/review`)
    .set('if-match', asEditor.headers.etag)
    .send({ decision: 'approve', comment: 'Quote checked' })
  t.equal(approved.status, 200)
  t.ok((await names(http)).includes(id), 'public at once')
  const [review] = (await http.get(`/v1/prisoners/${id}/history`)).body.data
  t.same([review.action, review.comment, review.changes.reviewStatus], ['review', 'Quote checked', { before: 'pending', after: 'published' }])
  t.match(review.actor, /^editor [0-9a-f]{6}$/, 'the public reads a role and a pseudonym')
  t.same((await editor.get('/v1/review')).body.records, [])

  const again = await editor.post(`/v1/prisoners/${id}/review`).set('if-match', approved.headers.etag).send({ decision: 'reject' })
  t.equal(again.status, 409, 'a record is reviewed once')
})

t.test('a rejected record stays out of reads, with the decision recorded', async (t) => {
  const { http, volunteer, editor } = await buildTestApp(t)
  const created = await volunteer.post('/v1/prisoners').send({ status: released })
  const rejected = await editor
    .post(`/v1/prisoners/${created.body.id}/review`)
    .set('if-match', created.headers.etag)
    .send({ decision: 'reject', comment: 'Duplicate of an existing record' })
  t.equal(rejected.status, 200)
  t.equal((await http.get(`/v1/prisoners/${created.body.id}`)).status, 404)
  t.equal((await editor.get(`/v1/prisoners/${created.body.id}`)).headers['review-status'], 'rejected')
  t.equal((await volunteer.get(`/v1/prisoners/${created.body.id}`)).headers['review-status'], 'rejected', 'the volunteer learns the outcome')
})

t.test("a volunteer's change is a proposal, applied when an editor approves it", async (t) => {
  const { http, volunteer, editor } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const change = {
    status: { value: 'released', citations: [...read.body.status.citations.map(({ sourceId, quote }: { sourceId: string; quote: string }) => ({ sourceId, quote })), { sourceId: SEED.articleB, quote: 'Among them was Ihar Karnei' }] },
    comment: 'One more citation',
  }
  const proposed = await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send(change)
  t.equal(proposed.status, 202)
  t.equal(proposed.headers.location, `/v1/proposals/${proposed.body.id}`)
  t.equal(proposed.body.status, 'pending')
  t.same((await http.get(`/v1/prisoners/${SEED.karnei}`)).body, read.body, 'the public record is unchanged')

  const bad = await volunteer
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei was never arrested' }] } })
  t.equal(bad.status, 422, 'a proposal is checked like any write')

  const queue = (await editor.get('/v1/review')).body.proposals
  t.same(queue.map((p: { id: string }) => p.id), [proposed.body.id])
  const approved = await editor.post(`/v1/proposals/${proposed.body.id}/review`).send({ decision: 'approve', comment: 'Checked' })
  t.equal(approved.status, 200)
  t.same([approved.body.status, approved.body.decidedBy], ['approved', 'Edgar Editor'])
  const after = (await http.get(`/v1/prisoners/${SEED.karnei}`)).body
  t.equal(after.status.citations.length, 3)
  const [revision] = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.equal(revision.action, 'review')
  t.match(revision.actor, /^editor [0-9a-f]{6}$/)
  t.match(revision.comment, /Approved proposal .* by volunteer [0-9a-f]{6}: Checked/, 'the proposer by pseudonym: the history is public')
  t.notMatch(revision.comment, /Vera/)
  t.equal((await editor.post(`/v1/proposals/${proposed.body.id}/review`).send({ decision: 'reject' })).status, 409)
})

t.test('a proposal on fields changed since is refused on approval; a rejection is recorded', async (t) => {
  const { http, volunteer, editor } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const proposal = (await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send({ status: released })).body
  await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send({ status: released, comment: 'editor first' })
  const clash = await editor.post(`/v1/proposals/${proposal.id}/review`).send({ decision: 'approve' })
  t.equal(clash.status, 409)
  t.match(clash.body.detail, /status changed/)
  const rejected = await editor.post(`/v1/proposals/${proposal.id}/review`).send({ decision: 'reject', comment: 'Superseded' })
  t.equal(rejected.body.status, 'rejected')
  const [revision] = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.match(revision.comment, /Rejected proposal .* Superseded/)
  t.equal((await volunteer.get(`/v1/proposals/${proposal.id}`)).body.decisionComment, 'Superseded', 'the volunteer sees the outcome')
})

t.test('editors delete and restore; the deleted record stays readable to them', async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const withBody = await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send({ comment: 'duplicate' })
  t.same([withBody.status, withBody.body.errors], [422, [{ path: '', message: 'send the comment as ?comment=… in the query string' }]], 'a comment in a body is not dropped silently')
  t.equal((await editor.delete(`/v1/prisoners/${SEED.karnei}?comment=duplicate`).set('if-match', read.headers.etag)).status, 204)
  t.equal((await http.get(`/v1/prisoners/${SEED.karnei}`)).status, 404)
  t.equal((await volunteer.get(`/v1/prisoners/${SEED.karnei}`)).status, 404, 'nor to volunteers')
  t.equal((await volunteer.get(`/v1/prisoners/${SEED.karnei}/history`)).status, 404)
  const deleted = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  t.ok(deleted.headers['deleted-at'])
  const history = (await editor.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.same([history[0].action, history[0].comment], ['delete', 'duplicate'])

  const restored = await editor.post(`/v1/prisoners/${SEED.karnei}/restore`).set('if-match', deleted.headers.etag).send({ comment: 'not a duplicate after all' })
  t.equal(restored.status, 200)
  const back = await http.get(`/v1/prisoners/${SEED.karnei}`)
  t.equal(back.status, 200)
  t.same(back.body.name, read.body.name, 'as it was')
  t.equal(back.body.version, read.body.version + 2)
  t.equal((await editor.post(`/v1/prisoners/${SEED.karnei}/restore`).set('if-match', back.headers.etag).send({})).status, 404, 'only a deleted record can be restored')
})
