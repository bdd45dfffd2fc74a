import t from 'tap'
import { buildApp } from '../../src/app'
import { SEED, buildTestApp, snapshot } from '../helpers/test-app'

// supertest keeps the request on the response, though its types do not say so.
const label = (res: object) => {
  const { method, path } = (res as { req: { method: string; path: string } }).req
  return `${method} ${path}`
}

const record = { status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] } }

t.test('every write without a key is 401, and changes nothing', async (t) => {
  const { http, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const writes = [
    http.post('/v1/prisoners').send(record),
    http.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send(record),
    http.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag),
    http.post(`/v1/prisoners/${SEED.karnei}/restore`).set('if-match', etag).send({}),
    http.post(`/v1/prisoners/${SEED.karnei}/review`).set('if-match', etag).send({ decision: 'approve' }),
    http.post('/v1/sources').send({ title: 'x', kind: 'news' }),
    http.post('/v1/keys').send({ name: 'x', role: 'admin' }),
    http.get('/v1/review'),
    http.get('/v1/keys'),
  ]
  for (const res of await Promise.all(writes)) {
    t.equal(res.status, 401, `${label(res)}: 401`)
    t.equal(res.body.type, '/problems/unauthorized')
    t.equal(res.headers['www-authenticate'], 'Bearer')
  }
  const bad = await http.get('/v1/prisoners').set('authorization', 'Bearer ppr_not-a-key')
  t.equal(bad.status, 401, 'a wrong key is refused even where no key is needed')
  t.match(bad.headers['www-authenticate'], /invalid_token/)
  t.same((await snapshot(database)), before)
})

t.test('a role that may not is 403', async (t) => {
  const { http, volunteer, editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const etag = (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const forbidden = [
    volunteer.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag),
    volunteer.post(`/v1/prisoners/${SEED.karnei}/restore`).set('if-match', etag).send({}),
    volunteer.post(`/v1/prisoners/${SEED.karnei}/review`).set('if-match', etag).send({ decision: 'approve' }),
    volunteer.get('/v1/review'),
    volunteer.get('/v1/keys'),
    editor.get('/v1/keys'),
    editor.post('/v1/keys').send({ name: 'Mallory', role: 'admin' }),
  ]
  for (const res of await Promise.all(forbidden)) {
    t.equal(res.status, 403, `${label(res)}: 403`)
    t.equal(res.body.type, '/problems/forbidden')
    t.match(res.body.detail, /needs the (editor|admin) role; the key of .* is (a volunteer|an editor) key\./)
  }
  t.same((await snapshot(database)), before)
})

t.test('keys are stored hashed and never logged in clear', async (t) => {
  const { database, keys } = await buildTestApp(t)
  const logs: string[] = []
  const app = await buildApp({ database, logger: { level: 'trace', stream: { write: (line: string) => logs.push(line) } } })
  const res = await app.inject({ method: 'POST', url: '/v1/prisoners', headers: { authorization: `Bearer ${keys.volunteer}` }, payload: record })
  t.equal(res.statusCode, 201)
  await app.inject({ method: 'GET', url: '/v1/prisoners', headers: { authorization: 'Bearer ppr_wrong' } })
  t.ok(logs.length > 0)
  for (const key of Object.values(keys)) {
    t.notOk(logs.join('\n').includes(key), 'the key is not in the logs')
    t.notOk(logs.join('\n').includes(key.slice(4)), 'nor its secret part')
    const stored = JSON.stringify((await database.all('SELECT * FROM api_keys')))
    t.notOk(stored.includes(key.slice(12)), 'the database holds only its hash and a prefix')
  }
  await app.close()
})

t.test('the key holder is the actor of the revisions the key causes', async (t) => {
  const { volunteer, editor } = await buildTestApp(t)
  const created = await editor.post('/v1/prisoners').send(record)
  const history = (await editor.get(`/v1/prisoners/${created.body.id}/history`)).body.data
  t.equal(history[0].actor, 'Edgar Editor')
  const pending = await volunteer.post('/v1/prisoners').send(record)
  const pendingHistory = (await editor.get(`/v1/prisoners/${pending.body.id}/history`)).body.data
  t.equal(pendingHistory[0].actor, 'Vera Volunteer')
})

t.test('the limits hold across instances: two apps on one database share their counts', async (t) => {
  const { app, database, keys } = await buildTestApp(t, { writesPerMinute: 3, authFailuresPer15Minutes: 2 })
  const other = await buildApp({ database, writesPerMinute: 3, authFailuresPer15Minutes: 2 })
  t.teardown(() => other.close())
  const instances = [app, other, app, other]
  const writes = []
  for (const instance of instances) {
    const res = await instance.inject({ method: 'POST', url: '/v1/prisoners', headers: { authorization: `Bearer ${keys.editor}` }, payload: record })
    writes.push(res.statusCode)
  }
  t.same(writes, [201, 201, 201, 429], '3 writes a minute in all, whichever instance takes them')
  const guesses = []
  for (const instance of instances.slice(0, 3)) {
    guesses.push((await instance.inject({ url: '/v1/prisoners', headers: { authorization: 'Bearer ppr_guess' } })).statusCode)
  }
  t.same(guesses, [401, 401, 429], 'failed authentications are counted across instances too')
})

t.test('abuse: writes per key and failed authentications are rate limited with Retry-After', async (t) => {
  const { http, editor } = await buildTestApp(t, { writesPerMinute: 3, authFailuresPer15Minutes: 2 })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await editor.post('/v1/prisoners').send(record)).status)
  t.same(statuses, [201, 201, 201, 429])
  const limited = await editor.post('/v1/prisoners').send(record)
  t.equal(limited.body.type, '/problems/rate-limited')
  t.ok(Number(limited.headers['retry-after']) > 0, 'says when to retry')
  // A refused write's body is not read: the connection is closed rather than drained (a key at its limit that
  // keeps sending 2 MB bodies would otherwise have the server read them all, slowing every other request).
  t.equal(limited.headers.connection, 'close', 'and closes the connection instead of reading the body it refused')
  t.equal((await editor.get('/v1/prisoners')).status, 200, 'reads are not limited by the write limit')

  for (let i = 0; i < 2; i++) t.equal((await http.get('/v1/prisoners').set('authorization', 'Bearer ppr_guess')).status, 401)
  const blocked = await http.get('/v1/prisoners').set('authorization', 'Bearer ppr_guess')
  t.equal(blocked.status, 429, 'guessing keys is slowed down')
  t.ok(Number(blocked.headers['retry-after']) > 0)
  t.equal(blocked.headers['access-control-allow-origin'], '*', 'a page of another origin can read the refusal')
  t.match(blocked.headers['access-control-expose-headers'], /Retry-After/)
  t.equal((await editor.get('/v1/prisoners')).status, 200, 'a valid key from the same address still works')
  t.equal((await http.get('/v1/prisoners')).status, 200, 'and so do anonymous reads')
})

t.test('reads with a key, GET or HEAD, are not counted as writes', async (t) => {
  const { editor } = await buildTestApp(t, { writesPerMinute: 2 })
  for (let i = 0; i < 3; i++) {
    t.equal((await editor.head('/v1/review')).status, 200, 'HEAD of the review queue')
    t.equal((await editor.get('/v1/review')).status, 200, 'GET of the review queue')
  }
  const head = await editor.head('/v1/review')
  t.notOk(head.headers.ratelimit, 'a read says nothing of the write limit')
  t.equal((await editor.post('/v1/prisoners').send(record)).status, 201, 'the two writes of the minute are still there')
  t.equal((await editor.post('/v1/prisoners').send(record)).status, 201)
})

t.test('behind a trusted proxy, failed authentications are counted per client (X-Forwarded-For), not per proxy', async (t) => {
  const guess = (app: Awaited<ReturnType<typeof buildTestApp>>['app'], client: string) =>
    app.inject({ url: '/v1/prisoners', remoteAddress: '10.0.0.5', headers: { authorization: 'Bearer ppr_guess', 'x-forwarded-for': client } })

  const behindProxy = await buildTestApp(t, { authFailuresPer15Minutes: 2, trustProxy: ['10.0.0.0/8'] })
  const statuses = []
  for (const client of ['203.0.113.7', '203.0.113.7', '203.0.113.7', '198.51.100.9']) statuses.push((await guess(behindProxy.app, client)).statusCode)
  t.same(statuses, [401, 401, 429, 401], 'one guessing client is slowed down; another behind the same proxy is not')

  const untrusted = await buildTestApp(t, { authFailuresPer15Minutes: 2 })
  const spoofed = []
  for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) spoofed.push((await guess(untrusted.app, client)).statusCode)
  t.same(spoofed, [401, 401, 429], 'without TRUST_PROXY a client cannot dodge the limit by sending X-Forwarded-For')
})

t.test('rate limited answers say their limit and what is left of it (RateLimit-Policy, RateLimit), readable across origins and documented', async (t) => {
  const { http, editor } = await buildTestApp(t, { writesPerMinute: 3, authFailuresPer15Minutes: 2 })
  const policy = '"writes";q=3;w=60'
  const left = []
  for (let i = 0; i < 3; i++) {
    const res = await editor.post('/v1/prisoners').send(record)
    t.equal(res.status, 201)
    t.equal(res.headers['ratelimit-policy'], policy, 'the write limit: 3 a minute')
    const [, r, seconds] = /^"writes";r=(\d+);t=(\d+)$/.exec(res.headers.ratelimit) ?? []
    t.ok(Number(seconds) > 0 && Number(seconds) <= 60, `the window ends within a minute (t=${seconds})`)
    left.push(Number(r))
  }
  t.same(left, [2, 1, 0], 'what is left after each write')
  const limited = await editor.post('/v1/prisoners').send(record)
  t.equal(limited.status, 429)
  t.equal(limited.headers['ratelimit-policy'], policy)
  t.equal(limited.headers.ratelimit, `"writes";r=0;t=${limited.headers['retry-after']}`, 'nothing left until Retry-After')
  t.match(limited.headers['access-control-expose-headers'], /RateLimit-Policy, RateLimit\b/, 'a page of another origin can read them')
  t.notOk((await editor.get('/v1/prisoners')).headers.ratelimit, 'reads are not counted, and say nothing of it')

  for (let i = 0; i < 2; i++) await http.get('/v1/prisoners').set('authorization', 'Bearer ppr_guess')
  const blocked = await http.get('/v1/prisoners').set('authorization', 'Bearer ppr_guess')
  t.equal(blocked.status, 429)
  t.equal(blocked.headers['ratelimit-policy'], '"auth-failures";q=2;w=900', 'the limit of failed authentications: 2 per 15 minutes')
  t.equal(blocked.headers.ratelimit, `"auth-failures";r=0;t=${blocked.headers['retry-after']}`)

  const spec = (await http.get('/openapi.json')).body
  for (const [path, method, status] of [['/v1/prisoners', 'post', '201'], ['/v1/prisoners/{id}', 'patch', '200'], ['/v1/prisoners/{id}', 'delete', '204'], ['/v1/sources', 'post', '201']]) {
    t.ok(spec.paths[path][method].responses[status].headers?.RateLimit, `${method.toUpperCase()} ${path} documents RateLimit on ${status}`)
    t.ok(spec.paths[path][method].responses[status].headers?.['RateLimit-Policy'])
  }
  t.notOk(spec.paths['/v1/prisoners'].get.responses['200'].headers?.RateLimit, 'a read does not')
  t.ok(spec.components.responses.TooManyRequests.headers.RateLimit, 'every 429 does')
})
