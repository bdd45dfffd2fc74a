import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

// docs/design.md §2, invariant 6: shapes that once reached the database (or crashed on the way) get a 422 that
// names the field, on every write that takes a cited field, and leave the database as it was.

const cite = [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }]
const released = { value: 'released', citations: cite }

const MALFORMED: [what: string, body: Record<string, unknown>, path: string][] = [
  ['a field without value', { status: released, sentence: { citations: cite } }, '/sentence/value'],
  ['an alternative without value', { status: { ...released, alternatives: [{ citations: cite }] } }, '/status/alternatives/0/value'],
  ['an array as an alternative', { status: { ...released, alternatives: [[]] } }, '/status/alternatives/0'],
  ['an array as a citation', { status: { value: 'released', citations: [[]] } }, '/status/citations/0'],
  ['a list of destinations as one', { status: released, destination: { value: [{ country: 'LT' }, { country: 'PL' }], citations: cite } }, '/destination/value'],
  ['an empty list as a sentence', { status: released, sentence: { value: [], citations: cite } }, '/sentence/value'],
  ['a list as an alternative sentence', { status: released, sentence: { value: null, citations: [], alternatives: [{ value: [], citations: cite }] } }, '/sentence/alternatives/0/value'],
]

t.test('malformed cited fields get 422 naming the field, on POST and PATCH', async (t) => {
  const { http, editor, volunteer, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  for (const [what, body, path] of MALFORMED) {
    for (const [how, send] of [
      ['POST', () => editor.post('/v1/prisoners').send(body)],
      ['PATCH by an editor', () => editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send(body)],
      ['PATCH by a volunteer', () => volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send(body)],
    ] as const) {
      const res = await send()
      t.equal(res.status, 422, `${what}, ${how}: 422`)
      t.match(res.headers['content-type'], /^application\/problem\+json/)
      t.ok(
        res.body.errors?.some((e: { path: string }) => e.path === path),
        `${what}, ${how}: names ${path} (got ${JSON.stringify(res.body.errors)})`,
      )
    }
  }
  t.same((await snapshot(database)), before, 'nothing was written')
})

t.test('an alternative claim must be an object value of its field', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const etag = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).headers.etag
  const res = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/sentence/claims`)
    .set('if-match', etag)
    .send({ value: [], citations: [{ sourceId: SEED.articleA, quote: '18 years' }] })
  t.equal(res.status, 422)
  t.equal(res.body.errors[0].path, '/value')
  t.same((await snapshot(database)), before)
})

t.test('a NUL character is refused in every text, a query parameter and a form field included, on both engines', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const before = await snapshot(database)
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const attempts: [string, () => Promise<{ status: number; body: { errors?: { path: string; message: string }[] } }>, string, number][] = [
    ['source content', () => editor.post('/v1/sources').send({ title: 'T', kind: 'news', content: 'a\u0000b' }), '/content', 422],
    ['a name', () => editor.post('/v1/prisoners').send({ name: { value: 'Ihar\u0000Karnei', citations: cite } }), '/name/value', 422],
    ['a form field', () => editor.post('/v1/sources').type('form').send({ title: 'T\u0000', kind: 'news' }), 'title', 422],
    // A query string is answered 400, as any malformed query parameter.
    ['a query parameter', () => editor.delete(`/v1/prisoners/${SEED.karnei}?comment=a%00b`).set('if-match', etag), 'comment', 400],
  ]
  for (const [what, send, path, status] of attempts) {
    const res = await send()
    t.equal(res.status, status, `${what}: ${status}`)
    t.equal(res.body.errors?.[0]?.path, path, `${what}: names ${JSON.stringify(path)}`)
    t.match(res.body.errors?.[0]?.message, /NUL character/)
  }
  t.same(await snapshot(database), before, 'nothing was written')
})

t.test('text that is not valid Unicode (a lone surrogate) is refused in every text field, and the audit stays green', async (t) => {
  const { http, editor, admin, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const lone = 'Text \ud800 end'
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const attempts: [string, () => Promise<{ status: number; body: { errors?: { path: string; message: string }[] } }>, string][] = [
    ['source content', () => editor.post('/v1/sources').send({ title: 'T', kind: 'news', content: lone }), '/content'],
    ['source title', () => editor.post('/v1/sources').send({ title: lone, kind: 'news' }), '/title'],
    ['a name', () => editor.post('/v1/prisoners').send({ name: { value: lone, citations: cite } }), '/name/value'],
    ['a quote', () => editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: lone }] } }), '/status/citations/0/quote'],
    ['a note', () => editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ ...cite[0], note: lone }] } }), '/status/citations/0/note'],
    ['a comment', () => editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send({ status: released, comment: lone }), '/comment'],
    ['a key name', () => admin.post('/v1/keys').send({ name: lone, role: 'volunteer' }), '/name'],
    ['a field name', () => editor.post('/v1/prisoners').send({ status: released, ['x\udc00']: 1 }), '/x\udc00'],
  ]
  for (const [what, send, path] of attempts) {
    const res = await send()
    t.equal(res.status, 422, `${what}: 422`)
    t.equal(res.body.errors?.[0]?.path, path, `${what}: names ${JSON.stringify(path)}`)
    t.match(res.body.errors?.[0]?.message, /not valid Unicode/)
  }
  // JSON escapes are how a lone surrogate reaches a string; the raw body is valid UTF-8 text.
  const raw = await editor.post('/v1/sources').set('content-type', 'application/json').send('{"title":"T","kind":"news","content":"Text \\ud800 end"}')
  t.equal(raw.status, 422, 'sent as a JSON escape too')
  t.equal(raw.body.errors[0].path, '/content')
  t.same((await snapshot(database)), before, 'nothing was written')
  const audit = await editor.get('/v1/audit/verify')
  t.equal(audit.body.ok, true, 'the audit stays green')

  const paired = await editor.post('/v1/sources').send({ title: 'Emoji 😀 are paired surrogates', kind: 'news', content: 'Text 😀 end' })
  t.equal(paired.status, 201, 'characters outside the BMP (surrogate pairs) are valid')
})
