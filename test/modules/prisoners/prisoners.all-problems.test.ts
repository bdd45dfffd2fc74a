import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

t.test('a JSON write with shape and evidence problems is answered once, naming every one', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const body = {
    name: { value: 'Natallia Dulina', citations: [] },
    nationality: { value: 'Belarus', citations: [{ sourceId: SEED.articleB, quote: 'Belarusian' }] },
    releaseDate: { value: '21.06.2025', citations: [{ sourceId: SEED.articleA, quote: 'freed' }] },
    status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jial' }] },
  }
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  for (const res of [await editor.post('/v1/prisoners').send(body), await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send(body)]) {
    t.equal(res.status, 422)
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort()
    t.same(paths, ['/name/citations', '/nationality/value', '/releaseDate/value', '/status/citations/0'], 'shape and evidence, in one answer')
    t.match(res.body.errors.find((e: { path: string }) => e.path === '/status/citations/0').message, /Closest passage/)
  }
  t.equal((await editor.get('/v1/prisoners/not-a-uuid')).status, 400, 'a path that is wrong is still answered as such')
  t.equal((await editor.patch('/v1/prisoners/not-a-uuid').set('if-match', etag).send(body)).status, 400)
  const valid = { status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] } }
  t.equal((await editor.post('/v1/prisoners?dryRun=maybe').send(valid)).status, 400, 'so is a query')
  t.same((await snapshot(database)), before)
})
