import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

const record = {
  name: { value: 'Natallia Dulina', citations: [{ sourceId: SEED.articleA, quote: 'Natallia Dulina' }] },
  status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
}

t.test('a dry run checks a write and answers what would be saved, saving nothing', async (t) => {
  const { http, editor, volunteer, database } = await buildTestApp(t)
  const before = (await snapshot(database))

  const created = await volunteer.post('/v1/prisoners?dryRun=true').send(record)
  t.equal(created.status, 200)
  t.equal(created.headers['dry-run'], 'true')
  t.notOk(created.headers.location, 'no Location: nothing was made')
  t.notOk(created.headers.etag, 'no ETag: there is nothing to change')
  t.equal(created.body.saved, false)
  t.match(created.body.message, /^Checked, nothing saved: this would add this record, to wait for an editor's review/)
  t.equal(created.body.wouldBe.name.value, 'Natallia Dulina')
  t.equal(created.body.wouldBe.name.citations[0].start !== null, true, 'with the offsets of the quote, as it would be stored')
  t.notOk('id' in created.body.wouldBe, 'no id: the record does not exist')
  t.notMatch(JSON.stringify(created.body), /claimId/, 'nor the ids of claims that do not exist')

  const wrong = await volunteer.post('/v1/prisoners?dryRun=true').send({ name: { value: 'X', citations: [{ sourceId: SEED.articleA, quote: 'not in it' }] } })
  t.equal(wrong.status, 422, 'a dry run answers every problem as the write would')

  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const changed = await editor.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', etag).send({ status: record.status, comment: 'check' })
  t.equal(changed.status, 200)
  t.equal(changed.headers['dry-run'], 'true')
  t.match(changed.body, { saved: false, message: /would change the record at once/, wouldBe: { id: SEED.karnei, status: { value: 'released' } } }, 'the record, by its real id')
  const proposed = await volunteer.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', etag).send({ status: record.status })
  t.same([proposed.status, proposed.headers['dry-run'], proposed.headers.location], [200, 'true', undefined])
  t.match(proposed.body, { saved: false, message: /would propose this change, held for an editor's review/, wouldBe: { prisonerId: SEED.karnei, status: 'pending' } })
  t.notOk('id' in proposed.body.wouldBe, 'no proposal id: there is no such proposal')
  const stale = await editor.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', `"${'A'.repeat(27)}"`).send({ status: record.status })
  t.equal(stale.status, 412, 'If-Match is checked too')

  const source = await volunteer.post('/v1/sources?dryRun=true').send({ title: 'A letter', kind: 'other', content: 'Text 😀 end' })
  t.same([source.status, source.headers['dry-run'], source.body.wouldBe.contentLength, source.body.wouldBe.hasContent], [200, 'true', 10, true])
  t.match(source.body, { saved: false, message: /would archive this source/ })
  t.notOk('id' in source.body.wouldBe, 'no source id')
  t.equal((await volunteer.post('/v1/sources?dryRun=maybe').send({ title: 'A', kind: 'news' })).status, 400)

  t.same((await snapshot(database)), before, 'nothing was saved')
  t.equal((await editor.get('/v1/review')).body.records.length, 0, 'nothing waits for review')
  t.equal((await volunteer.post('/v1/prisoners?dryRun=false').send(record)).status, 201, 'dryRun=false saves')
})

t.test('every other change has its dry run: delete, restore, reviews, alternatives and ranks answer as they would, saving nothing', async (t) => {
  const { http, editor, volunteer, database } = await buildTestApp(t)
  // What the dry runs act on: a record waiting for review, a proposed change, a deleted record.
  const pending = (await volunteer.post('/v1/prisoners').send(record)).body
  const karnei = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const proposal = (await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', karnei.headers.etag).send({ status: record.status })).body
  let deleted = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  t.equal((await editor.delete(`/v1/prisoners/${SEED.tsikhanouski}`).set('if-match', deleted.headers.etag)).status, 204)
  deleted = await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const pendingRead = await editor.get(`/v1/prisoners/${pending.id}`)
  const before = await snapshot(database)

  const removal = await editor.delete(`/v1/prisoners/${SEED.karnei}?dryRun=true&comment=check`).set('if-match', karnei.headers.etag)
  t.same([removal.status, removal.headers['dry-run'], removal.body], [200, 'true', { saved: false, message: removal.body.message }], 'delete: says it would be deleted')
  t.match(removal.body.message, /would delete the record/)
  const restored = await editor.post(`/v1/prisoners/${SEED.tsikhanouski}/restore?dryRun=true`).set('if-match', deleted.headers.etag).send({})
  t.same([restored.status, restored.headers['dry-run'], restored.body.wouldBe.deletedAt ?? null], [200, 'true', null], 'restore: the record as it would be')
  const approved = await editor.post(`/v1/prisoners/${pending.id}/review?dryRun=true`).set('if-match', pendingRead.headers.etag).send({ decision: 'approve' })
  t.same([approved.status, approved.headers['dry-run'], approved.body.wouldBe.id], [200, 'true', pending.id], 'review: the record as it would be published')
  t.match(approved.body.message, /would publish the record/)
  const decided = await editor.post(`/v1/proposals/${proposal.id}/review?dryRun=true`).send({ decision: 'approve', comment: 'check' })
  t.same([decided.status, decided.headers['dry-run'], decided.body.wouldBe.status, decided.body.wouldBe.id], [200, 'true', 'approved', proposal.id], 'proposal: approved, as it would be')
  const alternative = await editor
    .post(`/v1/prisoners/${SEED.karnei}/fields/nationality/claims?dryRun=true`)
    .set('if-match', karnei.headers.etag)
    .send({ value: 'LT', citations: [{ sourceId: SEED.articleA, quote: 'transferred to Lithuania' }], reason: 'check' })
  t.same([alternative.status, alternative.headers['dry-run']], [200, 'true'], 'an alternative: 200, not 201, as nothing was made')
  t.same(alternative.body.wouldBe.nationality.alternatives.map((a: { value: string }) => a.value), ['LT'])
  const choice = { claimId: karnei.body.name.alternatives[0].claimId, rank: 'preferred', reason: 'check' }
  const ranked = await editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/rank?dryRun=true`).set('if-match', karnei.headers.etag).send(choice)
  t.same([ranked.status, ranked.headers['dry-run'], ranked.body.wouldBe.name.value], [200, 'true', 'Ihar Karney'], 'a rank: the record as ranked')

  // Problems are answered as the real change would answer them.
  t.equal((await editor.post(`/v1/prisoners/${SEED.karnei}/review?dryRun=true`).set('if-match', karnei.headers.etag).send({ decision: 'approve' })).status, 409, 'a published record is not reviewed')
  t.equal((await editor.delete(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', `"${'A'.repeat(27)}"`)).status, 412, 'a stale ETag: 412')
  t.equal((await editor.delete(`/v1/prisoners/${SEED.karnei}?dryRun=yes`).set('if-match', karnei.headers.etag)).status, 400, 'dryRun is true or false')

  t.same(await snapshot(database), before, 'nothing was saved')
  t.equal((await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).status, 404, 'the deleted record is still deleted')
  t.equal((await editor.get(`/v1/proposals/${proposal.id}`)).body.status, 'pending', 'the proposal still waits')
  t.equal((await http.get(`/v1/prisoners/${pending.id}`)).status, 404, 'and the new record too, unpublished')
})
