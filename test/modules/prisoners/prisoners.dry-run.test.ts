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
  t.equal(created.body.name.value, 'Natallia Dulina')
  t.equal(created.body.name.citations[0].start !== null, true, 'with the offsets of the quote, as it would be stored')

  const wrong = await volunteer.post('/v1/prisoners?dryRun=true').send({ name: { value: 'X', citations: [{ sourceId: SEED.articleA, quote: 'not in it' }] } })
  t.equal(wrong.status, 422, 'a dry run answers every problem as the write would')

  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const changed = await editor.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', etag).send({ status: record.status, comment: 'check' })
  t.equal(changed.status, 200)
  t.equal(changed.headers['dry-run'], 'true')
  const proposed = await volunteer.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', etag).send({ status: record.status })
  t.same([proposed.status, proposed.headers['dry-run'], proposed.headers.location], [202, 'true', undefined])
  const stale = await editor.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', `"${'A'.repeat(27)}"`).send({ status: record.status })
  t.equal(stale.status, 412, 'If-Match is checked too')

  const source = await volunteer.post('/v1/sources?dryRun=true').send({ title: 'A letter', kind: 'other', content: 'Text 😀 end' })
  t.same([source.status, source.headers['dry-run'], source.body.contentLength, source.body.hasContent], [200, 'true', 10, true])
  t.equal((await volunteer.post('/v1/sources?dryRun=maybe').send({ title: 'A', kind: 'news' })).status, 400)

  t.same((await snapshot(database)), before, 'nothing was saved')
  t.equal((await editor.get('/v1/review')).body.records.length, 0, 'nothing waits for review')
  t.equal((await volunteer.post('/v1/prisoners?dryRun=false').send(record)).status, 201, 'dryRun=false saves')
})
