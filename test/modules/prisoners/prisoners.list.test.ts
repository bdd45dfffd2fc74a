import t from 'tap'
import { PRISONER_FIELDS } from '../../../src/core/document/fields'
import { SEED, buildTestApp } from '../../helpers/test-app'

t.test('lists page through every record once, in name order, unknown names last', async (t) => {
  const { http } = await buildTestApp(t)
  const seen: string[] = []
  const names: (string | null)[] = []
  let cursor: string | null = null
  do {
    const res: { body: { data: { id: string; name: { value: string | null } }[]; next: string | null } } = await http.get(
      `/v1/prisoners?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
    )
    seen.push(...res.body.data.map((r) => r.id))
    names.push(...res.body.data.map((r) => r.name.value))
    cursor = res.body.next
  } while (cursor)
  t.equal(seen.length, 14)
  t.equal(new Set(seen).size, 14, 'no record twice')
  t.same(names.slice(0, 6), ['Akihiro Haievski-Khanada', 'Halina Krasnianskaya', 'Ihar Karnei', 'Kiryl Balakhanau', 'Natallia Dulina', 'Siarhei Tsikhanouski'])
  t.same(names.slice(6), Array(8).fill(null))

  const reversed = await http.get('/v1/prisoners?sort=-name&limit=1')
  t.equal(reversed.body.data[0].name.value, null)
  const otherOrder = await http.get(`/v1/prisoners?sort=-createdAt&limit=1&cursor=${reversed.body.next}`)
  t.same([otherOrder.status, otherOrder.body.errors[0].path], [400, 'cursor'], 'a cursor is read only in the order it was made for')
  t.match(otherOrder.body.detail, /sorted by -name, not -createdAt/)
})

t.test('filters', async (t) => {
  const { http } = await buildTestApp(t)
  const count = async (query: string) => (await http.get(`/v1/prisoners?limit=200&${query}`)).body.data.length
  t.equal(await count('nationality=BY'), 1)
  t.equal(await count('nationality=by'), 1, 'country codes in any case')
  t.equal(await count('nationality=PL'), 0)
  t.equal(await count('status=released'), 14)
  t.equal(await count('status=detained'), 0)
  t.equal(await count('destination=LT'), 14)
  t.equal(await count('releasedFrom=2025-06&releasedTo=2025-06'), 14, 'a month includes its days')
  t.equal(await count('releasedFrom=2025-06-22'), 0)
  t.equal(await count('releasedTo=2025-06-20'), 0)
  const bad = await http.get('/v1/prisoners?releasedFrom=2025-02-30')
  t.equal(bad.status, 400)
  t.same(bad.body.errors, [{ path: 'releasedFrom', message: 'releasedFrom 2025-02-30 is not a real date' }])
  const unknown = await http.get('/v1/prisoners?colour=red')
  t.equal(unknown.status, 400, 'an unknown parameter is refused, not ignored')
})

t.test('lists are cacheable and readable from other origins', async (t) => {
  const { http } = await buildTestApp(t)
  const first = await http.get('/v1/prisoners').set('origin', 'https://advocacy.example')
  t.equal(first.status, 200)
  t.equal(first.headers['access-control-allow-origin'], '*')
  t.match(first.headers['cache-control'], /public/)
  t.match(first.headers.etag, /^"/)
  t.match(first.headers.vary, /Authorization/, 'a shared cache keeps public answers apart from keyed ones')
  const again = await http.get('/v1/prisoners').set('if-none-match', first.headers.etag)
  t.equal(again.status, 304)
  t.equal(again.text, '')
})

t.test("a page's ETag names its bytes: a change of a record on it, of its items or of next is a new one", async (t) => {
  const { http, editor } = await buildTestApp(t)
  const paths = ['/v1/prisoners', '/v1/prisoners?limit=3', '/v1/prisoners?q=Karnei', '/v1/prisoners?q=Tsikhanouski']
  const before = new Map<string, { etag: string; text: string }>()
  for (const path of paths) {
    const res = await http.get(path)
    t.equal(res.status, 200, path)
    before.set(path, { etag: res.headers.etag, text: res.text })
    t.equal((await http.get(path)).headers.etag, res.headers.etag, `${path}: the same page, the same ETag`)
  }
  t.equal(new Set([...before.values()].map((page) => page.etag)).size, paths.length, 'different pages, different ETags')

  // Karnei's name changes: every page that shows him changes, and its old ETag no longer answers 304.
  const read = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  const patched = await editor
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({ name: { value: 'Ihar Karney', citations: [{ sourceId: SEED.articleA, quote: 'Ihar Karney' }], alternatives: [{ value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei' }] }] } })
  t.equal(patched.status, 200)
  for (const path of paths) {
    const res = await http.get(path).set('if-none-match', before.get(path)!.etag)
    const shown = before.get(path)!.text.includes(SEED.karnei)
    if (shown) {
      t.equal(res.status, 200, `${path}: showed him, so the old ETag is stale`)
      t.not(res.headers.etag, before.get(path)!.etag, `${path}: a new ETag`)
      t.not(res.text, before.get(path)!.text)
    } else {
      t.equal(res.status, 304, `${path}: did not show him, so nothing changed`)
    }
  }
  t.ok(before.get('/v1/prisoners?q=Karnei')!.text.includes(SEED.karnei), 'the search for him showed him')
  t.notOk(before.get('/v1/prisoners?q=Tsikhanouski')!.text.includes(SEED.karnei), 'the search for another did not')
})

t.test('what is read with a key is never stored by a shared cache: it may hold what the public must not see', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const read = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  t.equal((await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag)).status, 204)
  t.equal((await http.get(`/v1/prisoners/${SEED.karnei}/history`)).status, 404, 'the public no longer sees it')
  for (const path of [`/v1/prisoners/${SEED.karnei}/history`, `/v1/prisoners/${SEED.karnei}/fields/name`, '/v1/prisoners', '/v1/sources']) {
    const res = await editor.get(path)
    t.equal(res.status, 200, path)
    t.equal(res.headers['cache-control'], 'private, no-cache', `${path} with a key: private`)
  }
  t.match((await http.get('/v1/sources')).headers['cache-control'], /^public/, 'the same read without a key: public')
})

t.test('one record, and its history', async (t) => {
  const { http } = await buildTestApp(t)
  const res = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  t.equal(res.status, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(Object.keys(res.body), ['id', 'version', ...PRISONER_FIELDS, 'events', 'createdAt', 'updatedAt'], 'the declared fields, in their order')
  const history = await http.get(`/v1/prisoners/${SEED.tsikhanouski}/history`)
  t.equal(history.body.data[0].action, 'create')
  t.same(history.body.data[0].changes.name.after, res.body.name, 'the create revision holds the cited fields')
  t.equal((await http.get('/v1/prisoners/6a1f0a4e-0000-4000-8000-000000000000')).status, 404)
})
