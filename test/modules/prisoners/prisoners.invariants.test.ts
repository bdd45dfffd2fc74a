import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

// One test per invariant of docs/design.md §2, each with inputs that must fail and leave the database as it was.

const released = { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] }

t.test('invariant 1: every value is cited', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))

  const res = await editor
    .post('/v1/prisoners')
    .send({ name: { value: 'Natallia Dulina', citations: [] }, status: { value: 'released', citations: [] } })
  t.equal(res.status, 422)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.body.type, '/problems/uncited-value')
  t.same(res.body.errors.map((e: { path: string }) => e.path).sort(), ['/name/citations', '/status/citations'])
  t.match(res.body.errors[0].message, /no citation/)

  const alternative = await editor.post('/v1/prisoners').send({
    status: released,
    name: { value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei' }], alternatives: [{ value: 'Igor Karnei', citations: [] }] },
  })
  t.equal(alternative.status, 422, 'an uncited alternative is refused too')
  t.same(alternative.body.errors.map((e: { path: string }) => e.path), ['/name/alternatives/0/citations'])

  const patch = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const uncitedPatch = await editor
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', patch.headers.etag)
    .send({ nationality: { value: 'BY', citations: [] } })
  t.equal(uncitedPatch.status, 422)
  t.equal(uncitedPatch.body.errors[0].path, '/nationality/citations')

  const nothing = await editor.post('/v1/prisoners').send({ name: { value: null, citations: [] } })
  t.equal(nothing.status, 422, 'a record with no value at all is refused')
  t.same((await snapshot(database)), before, 'nothing was written')
})

t.test('invariant 2: citations name an existing source and quote it', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))

  const missing = await editor.post('/v1/prisoners').send({
    status: { value: 'released', citations: [{ sourceId: '7d1f0a4e-0000-4000-8000-000000000000', quote: 'freed' }] },
  })
  t.equal(missing.status, 422)
  t.equal(missing.body.type, '/problems/unknown-source')
  t.equal(missing.body.errors[0].path, '/status/citations/0')

  const invented = await editor.post('/v1/prisoners').send({
    name: { value: 'Natallia Dulina', citations: [{ sourceId: SEED.articleA, quote: 'Natallia Dulina was sentenced to ten years' }] },
    status: released,
  })
  t.equal(invented.status, 422)
  t.equal(invented.body.type, '/problems/quote-not-found')
  t.same(invented.body.errors.map((e: { path: string }) => e.path), ['/name/citations/0'])
  t.match(invented.body.detail, /does not occur/)

  const wrongCase = await editor.post('/v1/prisoners').send({
    status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'HAVE BEEN FREED FROM JAIL' }] },
  })
  t.equal(wrongCase.status, 422, 'letter case is not forgiven: a quote reproduces the words')
  t.same((await snapshot(database)), before, 'nothing was written')

  // Forgiven: straight for typographic quotes and dashes, runs of white space, NFD for NFC.
  const forgiving = await editor.post('/v1/prisoners').send({
    status: {
      value: 'released',
      citations: [
        { sourceId: SEED.articleA, quote: "Lithuania's Foreign Minister,   Kęstutis Budrys" },
        { sourceId: SEED.articleA, quote: 'Kęstutis Budrys'.normalize('NFD') },
        { sourceId: SEED.articleB, quote: 'broader peace efforts-particularly' },
      ],
    },
  })
  t.equal(forgiving.status, 201, JSON.stringify(forgiving.body))
  const content = (await http.get(`/v1/sources/${SEED.articleA}/content`)).text
  const [first, second] = forgiving.body.status.citations
  t.equal([...content].slice(first.start, first.end).join(''), 'Lithuania’s Foreign Minister, Kęstutis Budrys', 'offsets point at the words as archived')
  t.equal([...content].slice(second.start, second.end).join(''), 'Kęstutis Budrys')

  const unarchived = await editor.post('/v1/prisoners').send({
    status: { value: 'released', citations: [{ sourceId: SEED.rbc, quote: 'freed' }] },
  })
  t.equal(unarchived.status, 201, 'a source without archived text accepts the quote as given')
  t.same([unarchived.body.status.citations[0].start, unarchived.body.status.citations[0].end], [null, null])
})

t.test('invariant 3: nothing is lost', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const created = await editor
    .post('/v1/prisoners')
    .send({ name: { value: 'Halina Krasnianskaya', citations: [{ sourceId: SEED.articleA, quote: 'Halina Krasnianskaya' }] }, status: released, comment: 'from article A' })
  t.equal(created.status, 201)
  const id = created.body.id
  const patched = await editor
    .patch(`/v1/prisoners/${id}`)
    .set('if-match', created.headers.etag)
    .send({ status: { value: 'detained', citations: [{ sourceId: SEED.articleA, quote: 'more than 1,000 individuals are currently imprisoned' }] }, comment: 'test correction' })
  t.equal(patched.status, 200)
  const deleted = await editor.delete(`/v1/prisoners/${id}`).set('if-match', patched.headers.etag)
  t.equal(deleted.status, 204)
  t.equal((await http.get(`/v1/prisoners/${id}`)).status, 404, 'a deleted record leaves public reads')

  const { data: revisions } = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}/history`)).body
  t.equal(revisions.length, 1, 'a seeded record has its create revision')
  t.equal(revisions[0].actor, 'seed')

  // The deleted record's rows are all still there: a revision per write, the old status deprecated.
  const actions = (await database.all<{ action: string; version: number; comment: string | null }>(
    'SELECT action, version, comment FROM revisions WHERE prisoner_id = ? ORDER BY version',
    [id],
  ))
  t.same(actions, [
    { action: 'create', version: 1, comment: 'from article A' },
    { action: 'update', version: 2, comment: 'test correction' },
    { action: 'delete', version: 3, comment: null },
  ])
  const claims = (await database.all<{ value: string; rank: string }>(
    "SELECT value, rank FROM claims WHERE prisoner_id = ? AND field = 'status' ORDER BY created_at, rank",
    [id],
  ))
  t.same(claims, [
    { value: '"released"', rank: 'deprecated' },
    { value: '"detained"', rank: 'preferred' },
  ])
  t.equal((await database.get<{ n: number }>('SELECT COUNT(*) AS n FROM prisoners WHERE id = ? AND deleted_at IS NOT NULL', [id]))?.n, 1)
})

t.test('invariant 4: no silent overwrite', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  t.match(read.headers.etag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag')
  const change = { nationality: { value: 'BY', citations: [{ sourceId: SEED.articleB, quote: 'five Belarusians' }] } }

  const before = (await snapshot(database))
  const missing = await editor.patch(`/v1/prisoners/${SEED.karnei}`).send(change)
  t.equal(missing.status, 428)
  t.equal(missing.body.type, '/problems/precondition-required')
  const deleteMissing = await editor.delete(`/v1/prisoners/${SEED.karnei}`)
  t.equal(deleteMissing.status, 428)
  const anyVersion = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', '*').send(change)
  t.same([anyVersion.status, anyVersion.body.type], [428, '/problems/precondition-required'], 'If-Match: * is not the ETag you read')

  const first = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send(change)
  t.equal(first.status, 200)
  t.not(first.headers.etag, read.headers.etag, 'the ETag changes with the record')
  t.equal(first.body.version, 2)

  const afterFirst = (await snapshot(database))
  t.notSame(afterFirst, before, 'the write with the current ETag is stored')
  const stale = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send(change)
  t.equal(stale.status, 412)
  t.equal(stale.body.type, '/problems/precondition-failed')
  const staleDelete = await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag)
  t.equal(staleDelete.status, 412)
  t.same((await snapshot(database)), afterFirst, 'stale writes change nothing')

  const notModified = await http.get(`/v1/prisoners/${SEED.karnei}`).set('if-none-match', first.headers.etag)
  t.equal(notModified.status, 304)
})

t.test('invariant 5: disagreement is kept', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const { body } = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  t.equal(body.name.value, 'Siarhei Tsikhanouski')
  t.same(body.name.alternatives.map((a: { value: string }) => a.value), ['Syarhei Tsikhanouski'])
  t.equal(body.name.alternatives[0].citations[0].sourceId, SEED.articleB)

  const karnei = (await http.get(`/v1/prisoners/${SEED.karnei}`)).body
  t.equal(karnei.name.value, 'Ihar Karnei')
  t.same(karnei.name.alternatives.map((a: { value: string }) => a.value), ['Ihar Karney'])

  // Replacing a field keeps what it had: the history shows the previous value and its citations.
  const patched = await editor
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag)
    .send({ name: { value: 'Ihar Karney', citations: [{ sourceId: SEED.articleA, quote: 'Ihar Karney' }], alternatives: [{ value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei' }] }] } })
  t.equal(patched.status, 200)
  const [latest] = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.equal(latest.changes.name.before.value, 'Ihar Karnei')
  t.equal(latest.changes.name.after.value, 'Ihar Karney')
  t.equal(latest.changes.name.before.citations[0].sourceId, SEED.articleB)
})

t.test('invariant 6: bad input never breaks it', async (t) => {
  const { http, editor, database } = await buildTestApp(t, { bodyLimit: 64 * 1024 })
  const before = (await snapshot(database))
  const problems: [string, Promise<import('supertest').Response>, number, string][] = [
    ['malformed JSON', editor.post('/v1/prisoners').set('content-type', 'application/json').send('{"name": {"value": '), 400, 'malformed-json'],
    ['empty JSON body', editor.post('/v1/prisoners').set('content-type', 'application/json').send(''), 400, 'missing-body'],
    ['a JSON array', editor.post('/v1/prisoners').send([1, 2]), 422, 'validation-failed'],
    ['wrong type', editor.post('/v1/prisoners').send({ status: { value: 7, citations: released.citations } }), 422, 'validation-failed'],
    ['unknown status', editor.post('/v1/prisoners').send({ status: { value: 'escaped', citations: released.citations } }), 422, 'validation-failed'],
    ['unknown field', editor.post('/v1/prisoners').send({ status: released, birthplace: { value: 'Homel', citations: [] } }), 422, 'validation-failed'],
    ['unknown nested field', editor.post('/v1/prisoners').send({ status: { ...released, confidence: 'high' } }), 422, 'validation-failed'],
    ['impossible date', editor.post('/v1/prisoners').send({ status: released, releaseDate: { value: '2025-02-30', citations: released.citations } }), 422, 'validation-failed'],
    ['not a country', editor.post('/v1/prisoners').send({ status: released, nationality: { value: 'XX', citations: released.citations } }), 422, 'validation-failed'],
    ['not a uuid', editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: 'article-b', quote: 'freed' }] } }), 422, 'validation-failed'],
    ['oversized body', editor.post('/v1/prisoners').send({ comment: 'x'.repeat(70 * 1024) }), 413, 'payload-too-large'],
    ['not JSON', editor.post('/v1/prisoners').set('content-type', 'text/plain').send('name=Dulina'), 415, 'unsupported-media-type'],
    ['prototype poisoning', editor.post('/v1/prisoners').set('content-type', 'application/json').send('{"__proto__": {"admin": true}}'), 422, 'validation-failed'],
    ['a null field', editor.post('/v1/prisoners').send({ status: released, name: null }), 422, 'validation-failed'],
    ['a lower-case country', editor.post('/v1/prisoners').send({ status: released, nationality: { value: 'by', citations: released.citations } }), 422, 'validation-failed'],
    ['a blank name', editor.post('/v1/prisoners').send({ status: released, name: { value: '   ', citations: released.citations } }), 422, 'validation-failed'],
    ['a quote of another type', editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 123 }] } }), 422, 'validation-failed'],
    ['a blank quote', editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: '  ' }] } }), 422, 'validation-failed'],
    ['nested too deeply', editor.post('/v1/prisoners').set('content-type', 'application/json').send('{"a":'.repeat(5000) + '1' + '}'.repeat(5000)), 422, 'validation-failed'],
    ['thousands of unknown fields', editor.post('/v1/prisoners').send(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))), 422, 'validation-failed'],
    ['a malformed URL', http.get('/v1/prisoners/%E0%A4%A'), 400, 'invalid-request'],
    ['bad id', http.get('/v1/prisoners/not-a-uuid'), 400, 'invalid-request'],
    ['bad filter', http.get('/v1/prisoners?status=free'), 400, 'invalid-request'],
    ['bad limit', http.get('/v1/prisoners?limit=500'), 400, 'invalid-request'],
    ['a limit in exponent notation', http.get('/v1/prisoners?limit=1e2'), 400, 'invalid-request'],
    ['bad cursor', http.get('/v1/prisoners?cursor=bm90LWEtY3Vyc29y'), 400, 'invalid-request'],
    ...[
      ['/v1/prisoners?cursor=', ['name', true, 'x']],
      ['/v1/prisoners?cursor=', ['name', {}, 'x']],
      ['/v1/prisoners?q=Karnei&cursor=', ['x', -5]],
      ['/v1/changes?since=', [{}]],
      ['/v1/changes?since=', [-1]],
      [`/v1/sources/${SEED.articleA}/citations?cursor=`, [null, 'x']],
      ['/v1/sources?cursor=', [1, 2]],
    ].map(([path, position]): [string, Promise<import('supertest').Response>, number, string] => [
      `a hand-made cursor ${JSON.stringify(position)} on ${String(path)}`,
      http.get(`${String(path)}${Buffer.from(JSON.stringify(position)).toString('base64url')}`),
      400,
      'invalid-request',
    ]),
    ['unknown route', http.get('/v1/nowhere'), 404, 'not-found'],
  ]
  for (const [label, request, status, type] of problems) {
    const res = await request
    t.equal(res.status, status, `${label}: ${status}`)
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${label}: problem details`)
    t.equal(res.body.type, `/problems/${type}`, `${label}: ${type}`)
    t.type(res.body.detail, 'string')
    t.notMatch(JSON.stringify(res.body), /at .*\.(ts|js):\d+/, `${label}: no stack trace`)
  }

  const date = await editor.post('/v1/prisoners').send({ status: released, releaseDate: { value: '2025-02-30', citations: released.citations } })
  t.same(date.body.errors, [{ path: '/releaseDate/value', message: 'value 2025-02-30 is not a real date' }])
  const typed = await editor.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 123 }] } })
  t.same(typed.body.errors, [{ path: '/status/citations/0/quote', message: 'quote must be a string' }], 'the type is the first thing said')
  const limit = await http.get('/v1/prisoners?limit=abc')
  t.same(limit.body.errors, [{ path: 'limit', message: 'limit must be a whole number from 1 to 200' }], 'one reason per field')
  const unknown = await editor.post('/v1/prisoners').send({ status: released, birthplace: {} })
  t.same(unknown.body.errors, [{ path: '/birthplace', message: 'is not a field of this request; remove it' }])
  const nulled = await editor.post('/v1/prisoners').send({ status: released, name: null })
  t.same(nulled.body.errors, [{ path: '/name', message: 'name must be an object { value, citations }; to clear it send { "value": null, "citations": [] }' }])
  const deep = await editor.post('/v1/prisoners').set('content-type', 'application/json').send('{"name":' + '['.repeat(20) + ']'.repeat(20) + '}')
  t.same(deep.body.errors, [{ path: '/name/0/0/0/0/0/0/0/0/0/0/0', message: 'is nested more than 12 levels deep; no request of this API is' }])
  const wide = await editor.post('/v1/prisoners').send({ status: { ...released, ...Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])) } })
  t.same(wide.body.errors, [{ path: '/status', message: 'has more than 50 fields; no object of this API has' }])
  const many = await editor.post('/v1/prisoners').send({ status: released, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])), name: { value: 1, citations: 'x', alternatives: 'y' } })
  t.equal(many.body.errors.length, 43, 'every problem is listed while there are few')
  t.same((await snapshot(database)), before, 'the database is as it was')
})

t.test('invariant 6: null anywhere in a write is a 422 naming the place, never a 500', async (t) => {
  const { editor, database } = await buildTestApp(t)
  const read = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  const before = (await snapshot(database))
  const citation = { sourceId: SEED.articleB, quote: 'Ihar Karnei' }
  const bodies: [string, unknown][] = [
    ['/name', { name: null }],
    ['/destination', { destination: null }],
    ['/releaseDate', { releaseDate: null, comment: 'x' }],
    ['/name/citations/0', { name: { value: 'Ihar Karnei', citations: [null] } }],
    ['/name/citations', { name: { value: 'Ihar Karnei', citations: null } }],
    ['/name/alternatives/0', { name: { value: 'Ihar Karnei', citations: [citation], alternatives: [null] } }],
    ['/name/alternatives/0/citations', { name: { value: 'Ihar Karnei', citations: [citation], alternatives: [{ value: 'Ihar Karney', citations: null }] } }],
    ['/sentence/value/text', { sentence: { value: { text: null }, citations: [citation] } }],
  ]
  for (const [path, body] of bodies) {
    const answers = {
      POST: await editor.post('/v1/prisoners').send(body as object),
      PATCH: await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag).send(body as object),
    }
    for (const [method, res] of Object.entries(answers)) {
      t.equal(res.status, 422, `${method} ${JSON.stringify(body)}: 422`)
      t.ok(
        (res.body.errors as { path: string }[]).some((e) => e.path.startsWith(path)),
        `${method} ${JSON.stringify(body)}: names ${path} (${JSON.stringify(res.body.errors)})`,
      )
    }
  }
  t.same((await snapshot(database)), before, 'the database is as it was')
})

t.test('a PATCH that says what the record already says makes no version, revision or feed entry', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const asSent = (field: { value: unknown; citations: { sourceId: string; quote: string; note?: string }[]; alternatives: { value: unknown; citations: { sourceId: string; quote: string }[] }[] }) => ({
    value: field.value,
    citations: field.citations.map(({ sourceId, quote, note }) => ({ sourceId, quote, ...(note ? { note } : {}) })),
    alternatives: field.alternatives.map(({ value, citations }) => ({ value, citations: citations.map(({ sourceId, quote }) => ({ sourceId, quote })) })),
  })
  const sentence = asSent(read.body.sentence)
  // The same sentence with its keys in another order is the same value.
  sentence.value = Object.fromEntries(Object.entries(sentence.value as object).reverse())
  const feed = (await http.get('/v1/changes?limit=200')).body.data.length
  const same = await editor
    .patch(`/v1/prisoners/${SEED.tsikhanouski}`)
    .set('if-match', read.headers.etag)
    .send({ name: asSent(read.body.name), sentence, nationality: { value: read.body.nationality.value, citations: asSent(read.body.nationality).citations }, comment: 'no change' })
  t.equal(same.status, 200)
  t.equal(same.headers.etag, read.headers.etag, 'the same ETag')
  const { warnings, ...record } = same.body
  t.same(record, read.body, 'the record as it was')
  t.same(warnings, [], 'and no value its quotes do not say')
  t.equal((await http.get(`/v1/prisoners/${SEED.tsikhanouski}/history`)).body.data.length, 1, 'no revision')
  t.equal((await http.get('/v1/changes?limit=200')).body.data.length, feed, 'no feed entry')

  const fewer = { ...asSent(read.body.name), alternatives: [] }
  const changed = await editor.patch(`/v1/prisoners/${SEED.tsikhanouski}`).set('if-match', read.headers.etag).send({ name: fewer })
  t.equal(changed.body.version, read.body.version + 1, 'dropping an alternative is a change')
})
