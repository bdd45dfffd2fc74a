/**
 * Every operation of openapi.yaml, called on the seeded app, answers what the contract says: each answer's
 * status is documented for its operation and its body validates against the documented schema (JSON Schema
 * 2020-12, $refs resolved to the components). Each operation is called at least once successfully and once
 * with an error, and the run fails if an operation of the document was not exercised.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'supertest'
import { SEED, buildTestApp } from '../helpers/test-app'
import { startFixtureServer } from '../helpers/capture-fixtures'
import { Contract } from './contract'

const contract = new Contract()
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'
const BAD_KEY = 'Bearer ppr_not-a-key'

/** Collects the body as text whatever its type (CSV, NDJSON, problem+json), so it is checked as sent. */
function raw(request: Test): Test {
  return request.buffer(true).parse((res, done) => {
    let text = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => (text += chunk))
    res.on('end', () => done(null, text))
  })
}

t.test('the contract checker refuses answers that break their schema', async (t) => {
  const answer = (status: number, body: unknown, type = 'application/json') => ({ status, text: JSON.stringify(body), headers: { 'content-type': type } })
  const { app } = await buildTestApp(t)
  const record = JSON.parse((await app.inject({ url: `/v1/prisoners/${SEED.tsikhanouski}` })).body)
  t.same(contract.check('GET', '/v1/prisoners/{id}', answer(200, record)), [], 'a real record keeps it')
  const { name: _name, ...nameless } = record
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(200, nameless)), [/must have required property 'name'/], 'a missing field')
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(200, { ...record, name: { ...record.name, value: 42 } })), [/\/name\/value must be string/])
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(200, { ...record, status: { ...record.status, value: 'free' } })), [/\/status\/value must be equal to one of the allowed values/])
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(200, { ...record, extra: 1 })), [/must NOT have additional properties/], 'an undocumented property')
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(418, record)), [/status 418 is not documented/])
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(404, { type: '/problems/not-found', title: 'x', status: 404 }, 'application/problem+json')), [/required property 'detail'/])
  t.match(contract.check('GET', '/v1/prisoners/{id}', answer(404, { title: 'x' }, 'application/json')), [/content type application\/json is not documented/])
})

t.test('every operation answers as openapi.yaml documents it, successes and errors', async (t) => {
  // Captures fetch pages from a local server, on the one loopback address this app may fetch.
  const fixtures = await startFixtureServer('127.0.0.2', 'http://127.0.0.1:9/')
  t.teardown(() => fixtures.close())
  const { http, volunteer, editor, admin, keys } = await buildTestApp(t, { capture: { allowPrivate: ['127.0.0.2'] } })
  const exercised = new Map<string, Set<number>>()

  /** Sends the request, expects its status, and checks the answer against the contract. */
  async function call(method: string, route: string, request: Test, status: number, what = '') {
    const res = await raw(request)
    const label = `${method} ${route} ${status}${what ? ` (${what})` : ''}`
    t.equal(res.status, status, `${label}: status`)
    const failures = contract.check(method, route, { status: res.status, text: typeof res.body === 'string' ? res.body : '', headers: res.headers })
    t.same(failures, [], `${label}: keeps the contract`)
    const id = contract.operation(method, route).operationId
    exercised.set(id, (exercised.get(id) ?? new Set()).add(res.status))
    const json = /^application\/(problem\+)?json/.test(res.headers['content-type'] ?? '')
    return { ...res, json: json && res.body ? JSON.parse(res.body) : undefined }
  }
  const anonymous = (method: 'get' | 'post' | 'patch' | 'delete', url: string) => http[method](url)
  const badKey = (url: string) => http.get(url).set('authorization', BAD_KEY)

  // meta
  await call('GET', '/health', http.get('/health'), 200)
  await call('GET', '/health', badKey('/health'), 401, 'a wrong key')
  await call('GET', '/health/ready', http.get('/health/ready'), 200)
  await call('GET', '/health/ready', badKey('/health/ready'), 401, 'a wrong key')
  await call('GET', '/problems', http.get('/problems'), 200)
  await call('GET', '/problems', badKey('/problems'), 401, 'a wrong key')
  await call('GET', '/problems/{slug}', http.get('/problems/uncited-value'), 200)
  await call('GET', '/problems/{slug}', http.get('/problems/no-such-problem'), 404)

  // sources
  await call('GET', '/v1/sources', http.get('/v1/sources?limit=2'), 200)
  await call('GET', '/v1/sources', http.get('/v1/sources?limit=0'), 400)
  const content = 'Ales Bialiatski was released on 1 May 2026. He left for Vilnius.'
  const source = await call('POST', '/v1/sources', editor.post('/v1/sources').send({ title: 'A report', kind: 'news', language: 'en', content }), 201)
  await call('POST', '/v1/sources', volunteer.post('/v1/sources').send({ title: '', kind: 'blog' }), 422)
  await call('POST', '/v1/sources', anonymous('post', '/v1/sources').send({ title: 'x', kind: 'news' }), 401)
  await call('POST', '/v1/sources', editor.post('/v1/sources').set('content-type', 'application/json').send('{"title":'), 400, 'malformed JSON')
  await call('POST', '/v1/sources', editor.post('/v1/sources').set('content-type', 'text/csv').send('a,b'), 415)
  await call('GET', '/v1/sources/{id}', http.get(`/v1/sources/${SEED.articleA}`), 200)
  await call('GET', '/v1/sources/{id}', http.get(`/v1/sources/${NO_SUCH_ID}`), 404)
  await call('GET', '/v1/sources/{id}', http.get('/v1/sources/not-a-uuid'), 400)
  const text = await call('GET', '/v1/sources/{id}/content', http.get(`/v1/sources/${SEED.articleA}/content`), 200)
  await call('GET', '/v1/sources/{id}/content', http.get(`/v1/sources/${SEED.articleA}/content`).set('if-none-match', text.headers.etag), 304)
  await call('GET', '/v1/sources/{id}/content', http.get(`/v1/sources/${NO_SUCH_ID}/content`), 404)

  // captures: a source added by its address, its WARC, a capture again
  const captured = await call('POST', '/v1/sources', editor.post('/v1/sources').send({ url: fixtures.url('/be'), kind: 'news', capture: true }), 201, 'captured')
  await call('POST', '/v1/sources', volunteer.post('/v1/sources').send({ url: fixtures.url('/missing'), kind: 'news', capture: true }), 422, 'a 404 page')
  await call('POST', '/v1/sources', volunteer.post('/v1/sources').send({ url: fixtures.url('/broken'), kind: 'news', capture: true }), 502, 'a failing server')
  await call('GET', '/v1/sources/{id}/capture.warc', http.get(`/v1/sources/${captured.json.id}/capture.warc`), 200)
  await call('GET', '/v1/sources/{id}/capture.warc', http.get(`/v1/sources/${SEED.articleA}/capture.warc`), 404, 'never captured')
  await call('POST', '/v1/sources/{id}/captures', editor.post(`/v1/sources/${captured.json.id}/captures`), 201)
  await call('POST', '/v1/sources/{id}/captures', volunteer.post(`/v1/sources/${captured.json.id}/captures`), 403, 'not its adder')
  await call('POST', '/v1/sources/{id}/captures', editor.post(`/v1/sources/${NO_SUCH_ID}/captures`), 404)

  // redactions: an editor's, of a span of the archived text
  const redaction = { start: 0, end: 5, reason: 'safety', comment: 'A name withheld on a record.' }
  const redacted = await call('POST', '/v1/sources/{id}/redactions', editor.post(`/v1/sources/${SEED.articleB}/redactions`).send(redaction), 201)
  await call('POST', '/v1/sources/{id}/redactions', volunteer.post(`/v1/sources/${SEED.articleB}/redactions`).send(redaction), 403)
  await call('POST', '/v1/sources/{id}/redactions', editor.post(`/v1/sources/${SEED.articleB}/redactions`).send({ ...redaction, end: 0 }), 422)
  await call('GET', '/v1/sources/{id}/redactions', editor.get(`/v1/sources/${SEED.articleB}/redactions`), 200)
  await call('GET', '/v1/sources/{id}/redactions', volunteer.get(`/v1/sources/${SEED.articleB}/redactions`), 403)
  await call('DELETE', '/v1/sources/{id}/redactions/{redactionId}', editor.delete(`/v1/sources/${SEED.articleB}/redactions/${redacted.json.id}`), 204)
  await call('DELETE', '/v1/sources/{id}/redactions/{redactionId}', editor.delete(`/v1/sources/${SEED.articleB}/redactions/${NO_SUCH_ID}`), 404)
  await call('GET', '/v1/sources/{id}/passages', http.get(`/v1/sources/${SEED.articleB}/passages?text=Karnei`), 200)
  await call('GET', '/v1/sources/{id}/passages', http.get(`/v1/sources/${SEED.articleB}/passages?text=%20`), 400)
  await call('GET', '/v1/sources/{id}/passages', http.get(`/v1/sources/${NO_SUCH_ID}/passages?text=x`), 404)
  await call('GET', '/v1/sources/{id}/citations', http.get(`/v1/sources/${SEED.articleB}/citations?limit=3`), 200)
  await call('GET', '/v1/sources/{id}/citations', http.get(`/v1/sources/${NO_SUCH_ID}/citations`), 404)

  // reading records
  const list = await call('GET', '/v1/prisoners', http.get('/v1/prisoners?limit=200'), 200)
  t.equal(list.json.data.length, 14, 'every seeded record was checked')
  await call('GET', '/v1/prisoners', http.get('/v1/prisoners').query({ q: 'Sergei Tikhanovsky' }), 200, 'a search, with match')
  await call('GET', '/v1/prisoners', http.get('/v1/prisoners?limit=0'), 400)
  await call('GET', '/v1/prisoners', http.get('/v1/prisoners').set('if-none-match', list.headers.etag).query({ limit: 200 }), 304)
  const record = await call('GET', '/v1/prisoners/{id}', http.get(`/v1/prisoners/${SEED.karnei}`), 200)
  for (const item of list.json.data) await call('GET', '/v1/prisoners/{id}', http.get(`/v1/prisoners/${item.id}`), 200, 'each seeded record')
  await call('GET', '/v1/prisoners/{id}', http.get(`/v1/prisoners/${SEED.karnei}`).set('if-none-match', record.headers.etag), 304)
  await call('GET', '/v1/prisoners/{id}', http.get(`/v1/prisoners/${NO_SUCH_ID}`), 404)
  await call('GET', '/v1/prisoners/{id}', http.get('/v1/prisoners/x'), 400)
  await call('GET', '/v1/prisoners/{id}', badKey(`/v1/prisoners/${SEED.karnei}`), 401, 'a wrong key on a public read')
  await call('GET', '/v1/prisoners/{id}/history', http.get(`/v1/prisoners/${SEED.tsikhanouski}/history`), 200)
  await call('GET', '/v1/prisoners/{id}/history', http.get(`/v1/prisoners/${NO_SUCH_ID}/history`), 404)
  await call('GET', '/v1/prisoners/{id}/fields/{field}', http.get(`/v1/prisoners/${SEED.karnei}/fields/name`), 200)
  await call('GET', '/v1/prisoners/{id}/fields/{field}', http.get(`/v1/prisoners/${SEED.karnei}/fields/birthplace`), 400)
  const citationId = record.json.name.citations[0].id
  await call('GET', '/v1/citations/{id}', http.get(`/v1/citations/${citationId}`), 200)
  await call('GET', '/v1/citations/{id}', http.get(`/v1/citations/${NO_SUCH_ID}`), 404)
  await call('GET', '/v1/export', http.get('/v1/export?format=ndjson'), 200, 'NDJSON')
  await call('GET', '/v1/export', http.get('/v1/export?format=csv'), 200, 'CSV')
  await call('GET', '/v1/export', http.get('/v1/export?format=jsonld'), 200, 'JSON-LD')
  await call('GET', '/v1/prisoners/{id}', http.get(`/v1/prisoners/${SEED.karnei}`).set('accept', 'application/ld+json'), 200, 'JSON-LD')
  await call('GET', '/v1/export', http.get('/v1/export?format=xml'), 400)
  await call('GET', '/v1/audit/coverage', http.get('/v1/audit/coverage'), 200)
  await call('GET', '/v1/audit/coverage', badKey('/v1/audit/coverage'), 401, 'a wrong key')
  await call('GET', '/v1/audit/verify', volunteer.get('/v1/audit/verify'), 200)
  await call('GET', '/v1/audit/verify', http.get('/v1/audit/verify'), 401)

  // writing records
  const cite = (quote: string, sourceId = source.json.id) => [{ sourceId, quote }]
  const newRecord = {
    name: { value: 'Ales Bialiatski', citations: cite('Ales Bialiatski') },
    status: { value: 'released', citations: cite('was released') },
    releaseDate: { value: '2026-05-01', citations: cite('released on 1 May 2026') },
    destination: { value: { country: 'LT', place: 'Vilnius' }, citations: cite('He left for Vilnius') },
  }
  const created = await call('POST', '/v1/prisoners', editor.post('/v1/prisoners').send(newRecord), 201)
  await call('POST', '/v1/prisoners', editor.post('/v1/prisoners').send({ name: { value: 'Nobody', citations: [] } }), 422, 'uncited')
  await call('POST', '/v1/prisoners', editor.post('/v1/prisoners').set('content-type', 'application/json').send('{'), 400, 'malformed JSON')
  await call('POST', '/v1/prisoners', anonymous('post', '/v1/prisoners').send(newRecord), 401)
  const id = created.json.id
  const path = `/v1/prisoners/${id}`
  const changed = await call(
    'PATCH',
    '/v1/prisoners/{id}',
    editor.patch(path).set('if-match', created.headers.etag).send({ sentence: { value: { text: 'ten years', termMonths: 120, charges: ['treason'] }, citations: cite('Ales Bialiatski') }, comment: 'test' }),
    200,
  )
  await call('PATCH', '/v1/prisoners/{id}', editor.patch(path).send({ comment: 'x', status: newRecord.status }), 428)
  await call('PATCH', '/v1/prisoners/{id}', editor.patch(path).set('if-match', created.headers.etag).send({ status: newRecord.status }), 412)
  await call('PATCH', '/v1/prisoners/{id}', editor.patch(`/v1/prisoners/${NO_SUCH_ID}`).set('if-match', '"x"').send({ status: newRecord.status }), 404)
  const proposal = await call(
    'PATCH',
    '/v1/prisoners/{id}',
    volunteer.patch(path).set('if-match', changed.headers.etag).send({ nationality: { value: 'BY', citations: cite('Ales Bialiatski') } }),
    202,
    'a proposal',
  )
  await call('GET', '/v1/proposals/{id}', volunteer.get(`/v1/proposals/${proposal.json.id}`), 200)
  await call('GET', '/v1/proposals/{id}', volunteer.get(`/v1/proposals/${NO_SUCH_ID}`), 404)
  await call('GET', '/v1/submissions', volunteer.get('/v1/submissions'), 200)
  await call('GET', '/v1/submissions', anonymous('get', '/v1/submissions'), 401)

  // review
  const pending = await call('POST', '/v1/prisoners', volunteer.post('/v1/prisoners').send({ name: newRecord.name }), 201, "a volunteer's record")
  await call('GET', '/v1/review', editor.get('/v1/review'), 200)
  await call('GET', '/v1/review', volunteer.get('/v1/review'), 403)
  await call('POST', '/v1/proposals/{id}/review', editor.post(`/v1/proposals/${proposal.json.id}/review`).send({ decision: 'approve', comment: 'ok' }), 200)
  await call('POST', '/v1/proposals/{id}/review', editor.post(`/v1/proposals/${proposal.json.id}/review`).send({ decision: 'reject' }), 409, 'decided already')
  const pendingPath = `/v1/prisoners/${pending.json.id}/review`
  await call('POST', '/v1/prisoners/{id}/review', editor.post(pendingPath).set('if-match', pending.headers.etag).send({ decision: 'maybe' }), 422)
  const reviewed = await call('POST', '/v1/prisoners/{id}/review', editor.post(pendingPath).set('if-match', pending.headers.etag).send({ decision: 'approve' }), 200)
  await call('POST', '/v1/prisoners/{id}/review', editor.post(pendingPath).set('if-match', reviewed.headers.etag).send({ decision: 'reject' }), 409, 'reviewed already')

  // claims
  const current = await call('GET', '/v1/prisoners/{id}', editor.get(path), 200, 'with an editor key')
  const added = await call(
    'POST',
    '/v1/prisoners/{id}/fields/{field}/claims',
    editor.post(`${path}/fields/name/claims`).set('if-match', current.headers.etag).send({ value: 'Aleś Bialacki', citations: cite('Ales Bialiatski'), reason: 'spelling' }),
    201,
  )
  await call('POST', '/v1/prisoners/{id}/fields/{field}/claims', editor.post(`${path}/fields/name/claims`).set('if-match', added.headers.etag).send({ value: 1 }), 422)
  const alternative = added.json.name.alternatives[0].claimId
  const ranked = await call(
    'POST',
    '/v1/prisoners/{id}/fields/{field}/rank',
    editor.post(`${path}/fields/name/rank`).set('if-match', added.headers.etag).send({ claimId: alternative, rank: 'preferred', reason: 'test' }),
    200,
  )
  await call('POST', '/v1/prisoners/{id}/fields/{field}/rank', editor.post(`${path}/fields/name/rank`).set('if-match', added.headers.etag).send({ claimId: alternative, rank: 'preferred', reason: 'x' }), 412)
  await call('GET', '/v1/prisoners/{id}/fields/{field}', http.get(`${path}/fields/name`), 200, 'with a deprecated claim')

  // withheld values
  const withhold = { reason: 'safety', comment: 'test' }
  await call('POST', '/v1/prisoners/{id}/fields/{field}/withhold', volunteer.post(`${path}/fields/name/withhold`).set('if-match', ranked.headers.etag).send(withhold), 403)
  await call('POST', '/v1/prisoners/{id}/fields/{field}/withhold', editor.post(`${path}/fields/name/withhold`).set('if-match', ranked.headers.etag).send({ reason: 'whim' }), 422)
  const withheld = await call('POST', '/v1/prisoners/{id}/fields/{field}/withhold', editor.post(`${path}/fields/name/withhold`).set('if-match', ranked.headers.etag).send(withhold), 200)
  await call('GET', '/v1/prisoners/{id}', http.get(path), 200, 'a withheld name, as the public reads it')
  await call('GET', '/v1/prisoners/{id}/fields/{field}', http.get(`${path}/fields/name`), 200, 'withheld')
  await call('GET', '/v1/prisoners/{id}/history', http.get(`${path}/history`), 200, 'with a withheld field')
  await call('POST', '/v1/prisoners/{id}/fields/{field}/disclose', editor.post(`${path}/fields/name/disclose`).set('if-match', ranked.headers.etag).send({ comment: 'x' }), 412)
  const disclosed = await call('POST', '/v1/prisoners/{id}/fields/{field}/disclose', editor.post(`${path}/fields/name/disclose`).set('if-match', withheld.headers.etag).send({ comment: 'x' }), 200)

  // delete and restore
  await call('DELETE', '/v1/prisoners/{id}', volunteer.delete(path).set('if-match', disclosed.headers.etag), 403)
  await call('DELETE', '/v1/prisoners/{id}', editor.delete(path), 428)
  await call('DELETE', '/v1/prisoners/{id}', editor.delete(`${path}?comment=test`).set('if-match', disclosed.headers.etag), 204)
  const deleted = await call('GET', '/v1/prisoners/{id}', editor.get(path), 200, 'deleted, as an editor reads it')
  await call('POST', '/v1/prisoners/{id}/restore', editor.post(`${path}/restore`).set('if-match', ranked.headers.etag).send({}), 412)
  await call('POST', '/v1/prisoners/{id}/restore', editor.post(`${path}/restore`).set('if-match', deleted.headers.etag).send({ comment: 'back' }), 200)
  await call('GET', '/v1/prisoners/{id}/history', http.get(`${path}/history`), 200, 'every kind of revision')
  await call('GET', '/v1/changes', http.get('/v1/changes?limit=500'), 200)
  await call('GET', '/v1/changes', http.get('/v1/changes?since=nope'), 400)
  const atom = await call('GET', '/v1/changes.atom', http.get('/v1/changes.atom?limit=5').set('host', 'registry.example'), 200)
  await call('GET', '/v1/changes.atom', http.get('/v1/changes.atom?limit=5').set('host', 'registry.example').set('if-none-match', atom.headers.etag), 304)
  await call('GET', '/v1/changes.atom', http.get('/v1/changes.atom?before=nope'), 400)
  await call('GET', '/v1/prisoners/{id}/changes.atom', http.get(`/v1/prisoners/${SEED.karnei}/changes.atom`), 200)
  await call('GET', '/v1/prisoners/{id}/changes.atom', http.get(`/v1/prisoners/${NO_SUCH_ID}/changes.atom`), 404)

  // events
  await call('GET', '/v1/events', http.get('/v1/events'), 200)
  await call('GET', '/v1/events', http.get('/v1/events?limit=0'), 400)
  await call('GET', '/v1/events/{id}', http.get(`/v1/events/${SEED.release}`), 200)
  await call('GET', '/v1/events/{id}', http.get(`/v1/events/${SEED.release}`).set('accept', 'application/ld+json'), 200, 'JSON-LD')
  await call('GET', '/v1/events/{id}', http.get(`/v1/events/${NO_SUCH_ID}`), 404)
  const eventBody = { kind: { value: 'release', citations: [{ sourceId: source.json.id, quote: 'Ales Bialiatski was released on 1 May 2026' }] } }
  await call('POST', '/v1/events', http.post('/v1/events').send(eventBody), 401)
  const proposedEvent = await call('POST', '/v1/events', volunteer.post('/v1/events').send(eventBody), 201, "a volunteer's, pending")
  const releaseNow = await http.get(`/v1/events/${SEED.release}`)
  const eventProposal = await call('PATCH', '/v1/events/{id}', volunteer.patch(`/v1/events/${SEED.release}`).set('if-match', releaseNow.headers.etag).send({ kind: eventBody.kind }), 202, 'a proposal')
  await call('GET', '/v1/events/proposals/{id}', volunteer.get(`/v1/events/proposals/${eventProposal.json.id}`), 200)
  await call('GET', '/v1/events/proposals/{id}', volunteer.get(`/v1/events/proposals/${NO_SUCH_ID}`), 404)
  await call('POST', '/v1/events/proposals/{id}/review', volunteer.post(`/v1/events/proposals/${eventProposal.json.id}/review`).send({ decision: 'approve' }), 403)
  await call('POST', '/v1/events/proposals/{id}/review', editor.post(`/v1/events/proposals/${eventProposal.json.id}/review`).send({ decision: 'reject' }), 200)
  await call('POST', '/v1/events/{id}/review', editor.post(`/v1/events/${proposedEvent.json.id}/review`).send({ decision: 'approve' }), 428)
  await call('POST', '/v1/events/{id}/review', volunteer.post(`/v1/events/${proposedEvent.json.id}/review`).send({ decision: 'approve' }), 403)
  await call('POST', '/v1/events/{id}/review', editor.post(`/v1/events/${proposedEvent.json.id}/review`).set('if-match', proposedEvent.headers.etag).send({ decision: 'approve' }), 200)
  const placeClaims = await call('GET', '/v1/events/{id}/fields/{field}', http.get(`/v1/events/${SEED.release}/fields/place`), 200)
  await call('GET', '/v1/events/{id}/fields/{field}', http.get(`/v1/events/${SEED.release}/fields/nope`), 400)
  const releaseRead = await http.get(`/v1/events/${SEED.release}`)
  const rankBody = { claimId: placeClaims.json.claims[0].id, rank: 'deprecated', reason: 'test' }
  await call('POST', '/v1/events/{id}/fields/{field}/rank', editor.post(`/v1/events/${SEED.release}/fields/place/rank`).send(rankBody), 428)
  await call('POST', '/v1/events/{id}/fields/{field}/rank', editor.post(`/v1/events/${SEED.release}/fields/place/rank`).set('if-match', releaseRead.headers.etag).send(rankBody), 200)
  await call('GET', '/v1/changes/events', http.get('/v1/changes/events'), 200)
  await call('GET', '/v1/changes/events', http.get('/v1/changes/events?since=nope'), 400)
  await call('GET', '/v1/export/events', http.get('/v1/export/events?format=ndjson'), 200)
  await call('GET', '/v1/export/events', http.get('/v1/export/events?format=csv'), 200)
  await call('GET', '/v1/export/events', http.get('/v1/export/events?format=pdf'), 400)
  await call('POST', '/v1/events', editor.post('/v1/events').send({ kind: { value: 'release', citations: [] } }), 422)
  const event = await call('POST', '/v1/events', editor.post('/v1/events').send(eventBody), 201)
  await call('PATCH', '/v1/events/{id}', editor.patch(`/v1/events/${event.json.id}`).send(eventBody), 428)
  await call('PATCH', '/v1/events/{id}', editor.patch(`/v1/events/${event.json.id}`).set('if-match', event.headers.etag).send({ place: { value: 'Vilnius', citations: [{ sourceId: source.json.id, quote: 'He left for Vilnius' }] } }), 200)
  const placed = await call('PATCH', '/v1/events/{id}', editor.patch(`/v1/events/${event.json.id}`).set('if-match', event.headers.etag).send({ kind: eventBody.kind }), 412, 'a stale ETag')
  t.equal(placed.status, 412)
  await call('GET', '/v1/prisoners', http.get(`/v1/prisoners?event=${SEED.release}&limit=2`), 200, 'the people of an event')
  await call('GET', '/v1/events/{id}/history', http.get(`/v1/events/${event.json.id}/history`), 200)
  await call('GET', '/v1/events/{id}/history', http.get(`/v1/events/${NO_SUCH_ID}/history`), 404)
  const eventNow = await call('GET', '/v1/events/{id}', editor.get(`/v1/events/${event.json.id}`), 200, 'as an editor reads it')
  await call('DELETE', '/v1/events/{id}', editor.delete(`/v1/events/${event.json.id}`), 428)
  await call('DELETE', '/v1/events/{id}', editor.delete(`/v1/events/${event.json.id}?comment=test`).set('if-match', eventNow.headers.etag), 204)
  const eventDeleted = await call('GET', '/v1/events/{id}', editor.get(`/v1/events/${event.json.id}`), 200, 'deleted, as an editor reads it')
  await call('POST', '/v1/events/{id}/restore', editor.post(`/v1/events/${event.json.id}/restore`).set('if-match', eventNow.headers.etag).send({}), 412)
  await call('POST', '/v1/events/{id}/restore', editor.post(`/v1/events/${event.json.id}/restore`).set('if-match', eventDeleted.headers.etag).send({ comment: 'back' }), 200)

  // keys
  await call('GET', '/v1/keys', admin.get('/v1/keys'), 200)
  await call('GET', '/v1/keys', editor.get('/v1/keys'), 403)
  const key = await call('POST', '/v1/keys', admin.post('/v1/keys').send({ name: 'Someone', role: 'volunteer' }), 201)
  await call('POST', '/v1/keys', admin.post('/v1/keys').send({ name: 'Someone', role: 'king' }), 422)
  await call('DELETE', '/v1/keys/{id}', admin.delete(`/v1/keys/${key.json.id}`), 200)
  await call('DELETE', '/v1/keys/{id}', admin.delete(`/v1/keys/${NO_SUCH_ID}`), 404)
  t.ok(keys.admin, 'the admin key was used')

  // webhooks (no delivery is made: 10.0.0.1 is refused, and the one registered is deleted before any change) and the card
  const hook = await call('POST', '/v1/webhooks', editor.post('/v1/webhooks').send({ url: 'https://93.184.215.14/hook', events: ['record.*'] }), 201)
  await call('POST', '/v1/webhooks', editor.post('/v1/webhooks').send({ url: 'http://10.0.0.1/hook', events: ['record.*'] }), 422, 'a private address')
  await call('POST', '/v1/webhooks', volunteer.post('/v1/webhooks').send({ url: 'https://93.184.215.14/hook', events: ['record.*'] }), 403)
  await call('GET', '/v1/webhooks', editor.get('/v1/webhooks'), 200)
  await call('GET', '/v1/webhooks', anonymous('get', '/v1/webhooks'), 401)
  await call('GET', '/v1/webhooks/{id}', editor.get(`/v1/webhooks/${hook.json.id}`), 200)
  await call('GET', '/v1/webhooks/{id}', volunteer.get(`/v1/webhooks/${hook.json.id}`), 403)
  await call('GET', '/v1/webhooks/{id}/deliveries', editor.get(`/v1/webhooks/${hook.json.id}/deliveries`), 200)
  await call('GET', '/v1/webhooks/{id}/deliveries', editor.get(`/v1/webhooks/${NO_SUCH_ID}/deliveries`), 404)
  await call('DELETE', '/v1/webhooks/{id}', editor.delete(`/v1/webhooks/${hook.json.id}`), 204)
  await call('DELETE', '/v1/webhooks/{id}', editor.delete(`/v1/webhooks/${hook.json.id}`), 404)
  const manifest = await call('GET', '/v1/embed/registry-person.json', http.get('/v1/embed/registry-person.json'), 200)
  await call('GET', '/v1/embed/registry-person.json', badKey('/v1/embed/registry-person.json'), 401, 'a wrong key')
  await call('GET', '/v1/embed/{file}', http.get(new URL(manifest.json.script).pathname), 200)
  await call('GET', '/v1/embed/{file}', http.get('/v1/embed/registry-person-0123456789abcdef.js'), 404, 'another version')
  await call('GET', '/v1/embed/{file}', http.get('/v1/embed/other.js'), 400)

  // the people a statement lists, as candidates; those kept, submitted
  const statement = readFileSync(join(__dirname, '../fixtures/statements/02-numbered-sentenced.txt'), 'utf8')
  const listed = await call('POST', '/v1/sources', editor.post('/v1/sources').send({ title: 'A statement', kind: 'ngo', language: 'en', content: statement }), 201)
  await call('POST', '/v1/sources/{id}/candidates', volunteer.post(`/v1/sources/${listed.json.id}/candidates`), 200)
  await call('POST', '/v1/sources/{id}/candidates', volunteer.post(`/v1/sources/${NO_SUCH_ID}/candidates`), 404)
  await call('POST', '/v1/sources/{id}/candidates/submit', volunteer.post(`/v1/sources/${listed.json.id}/candidates/submit`).send({ keep: [0] }), 201)
  await call('POST', '/v1/sources/{id}/candidates/submit', volunteer.post(`/v1/sources/${listed.json.id}/candidates/submit`).send({ keep: ['one'] }), 422)

  // a spreadsheet of people, imported
  const sheet = `name,name_quote,source_id\nSyarhei Verashchahin,Syarhei Verashchahin,${listed.json.id}\n`
  const attach = (request: Test, text: string, filename: string) => request.attach('file', Buffer.from(text), { filename, contentType: 'text/csv' })
  const imported = await call('POST', '/v1/imports', attach(volunteer.post('/v1/imports'), sheet, 'people.csv'), 200)
  await call('POST', '/v1/imports', attach(http.post('/v1/imports'), sheet, 'people.csv'), 401, 'no key')
  await call('GET', '/v1/imports/{id}', volunteer.get(`/v1/imports/${imported.json.id}`), 200)
  await call('GET', '/v1/imports/{id}', http.get(`/v1/imports/${imported.json.id}`), 401)

  // the history chain (docs/design.md §10)
  await call('GET', '/v1/history/checkpoints', http.get('/v1/history/checkpoints'), 200, 'before any checkpoint')
  await call('POST', '/v1/history/checkpoints', volunteer.post('/v1/history/checkpoints'), 403)
  const signed = await call('POST', '/v1/history/checkpoints', editor.post('/v1/history/checkpoints'), 201)
  await call('GET', '/v1/history/checkpoints', http.get('/v1/history/checkpoints?limit=5'), 200)
  await call('GET', '/v1/history/checkpoints', http.get('/v1/history/checkpoints?limit=0'), 400)
  await call('GET', '/v1/history/public-key', http.get('/v1/history/public-key'), 200)
  await call('GET', '/v1/history/public-key', badKey('/v1/history/public-key'), 401, 'a wrong key')
  await call('GET', '/v1/history/proofs/inclusion', http.get(`/v1/history/proofs/inclusion?position=1&size=${signed.json.size}`), 200)
  await call('GET', '/v1/history/proofs/inclusion', http.get('/v1/history/proofs/inclusion?position=one'), 400)
  await call('GET', '/v1/history/proofs/inclusion', http.get('/v1/history/proofs/inclusion?position=1&size=2000000000'), 404)
  await call('GET', '/v1/history/proofs/consistency', http.get(`/v1/history/proofs/consistency?from=1&to=${signed.json.size}`), 200)
  await call('GET', '/v1/history/proofs/consistency', http.get('/v1/history/proofs/consistency?from=3&to=2'), 400)
  await call('GET', '/v1/history/export', http.get('/v1/history/export'), 200)
  await call('GET', '/v1/history/export', badKey('/v1/history/export'), 401, 'a wrong key')

  for (const { operationId, method, path: route } of contract.operations) {
    const statuses = [...(exercised.get(operationId) ?? [])]
    t.ok(statuses.some((s) => s < 300), `${operationId} (${method} ${route}) was checked with a success`)
    t.ok(statuses.some((s) => s >= 400), `${operationId} (${method} ${route}) was checked with an error`)
  }
})
