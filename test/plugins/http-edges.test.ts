import t from 'tap'
import { buildTestApp, SEED, snapshot } from '../helpers/test-app'
import { listening, rawRequest } from '../helpers/raw-http'

const PROBLEM = /^application\/problem\+json/

t.test("what Node's HTTP parser refuses is a 400 in problem+json, and the connection is closed", async (t) => {
  const { app } = await buildTestApp(t, { seed: false })
  const port = await listening(app)
  const cases = [
    { name: 'a request line that is no HTTP', request: 'G@T /v1/sources HTTP/1.1\r\nHost: x\r\n\r\n', detail: /does not begin with an HTTP method/ },
    { name: 'a control character in a header value', request: 'GET /v1/sources HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n', detail: /character HTTP does not allow/ },
    { name: 'Content-Length: -1', request: 'POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}', detail: /Content-Length must be a whole number/ },
    {
      name: 'both Content-Length and Transfer-Encoding',
      request: 'POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      detail: /send one of them/,
    },
  ]
  for (const { name, request, detail } of cases) {
    const res = await rawRequest(port, request)
    t.equal(res.status, 400, `${name}: 400`)
    t.match(res.headers['content-type'], PROBLEM, `${name}: problem+json`)
    t.equal(res.headers.connection, 'close', `${name}: Connection: close`)
    t.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body), `${name}: Content-Length is the body's`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${name}: security headers too`)
    const body = JSON.parse(res.body)
    t.same(
      Object.keys(body),
      ['type', 'title', 'status', 'detail', 'instance'],
      `${name}: the shape of every problem`,
    )
    t.match(body, { type: '/problems/invalid-request', title: 'The query string or path has invalid values', status: 400, instance: '/v1/sources' })
    t.match(body.detail, detail, `${name}: says what is wrong (${body.detail})`)
  }

  // Pipelined after a good request (not answered yet, so dropped as Node itself does): the problem names the bad one.
  const pipelined = await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\nG@T /v1/sources HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal(pipelined.status, 400, 'a bad request pipelined after a good one')
  t.equal(JSON.parse(pipelined.body).instance, '/v1/sources', 'its instance is the bad request, not the one before it')
})

t.test('a path that exists answers 405 with Allow to the methods it does not have; a path that does not is 404', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const put = await editor.put(`/v1/prisoners/${SEED.karnei}`).send({})
  t.equal(put.status, 405, 'PUT on a record')
  t.match(put.headers['content-type'], PROBLEM)
  t.equal(put.headers.allow, 'GET, HEAD, PATCH, DELETE, OPTIONS')
  t.same(put.body, {
    type: '/problems/method-not-allowed',
    title: 'This method is not allowed here',
    status: 405,
    detail: `PUT is not a method of /v1/prisoners/${SEED.karnei}: it has GET, HEAD, PATCH, DELETE, OPTIONS.`,
    instance: `/v1/prisoners/${SEED.karnei}`,
  })

  const del = await http.delete('/v1/sources')
  t.equal(del.status, 405, 'DELETE on the sources')
  t.equal(del.headers.allow, 'GET, HEAD, POST, OPTIONS')
  t.equal(del.body.type, '/problems/method-not-allowed')

  const deeper = await http.post(`/v1/prisoners/${SEED.karnei}/history?x=1`)
  t.equal(deeper.status, 405, 'a parametric path with a query string')
  t.equal(deeper.headers.allow, 'GET, HEAD, OPTIONS')

  for (const path of ['/docs', '/docs/', '/docs/json', '/docs/static/swagger-ui.css']) {
    const res = await http.post(path)
    t.equal(res.status, 405, `POST ${path}: routes of a plugin with a prefix (its '/' with and without the slash)`)
    t.equal(res.headers.allow, 'GET, HEAD, OPTIONS')
  }

  for (const [method, path] of [
    ['get', '/v1/nothing'],
    ['put', '/v1/nothing'],
    ['delete', `/v1/prisoners/${SEED.karnei}/nothing`],
  ] as const) {
    const res = await http[method](path)
    t.equal(res.status, 404, `${method.toUpperCase()} ${path}: no route has the path`)
    t.equal(res.body.type, '/problems/not-found')
    t.notOk(res.headers.allow)
  }

  t.equal((await http.head('/v1/sources')).status, 200, 'HEAD where GET is')
  const preflight = await http.options('/v1/sources').set('origin', 'https://advocacy.example').set('access-control-request-method', 'GET')
  t.equal(preflight.status, 204, 'OPTIONS is still the CORS preflight')
})

t.test('a request whose body does not arrive in time gets 408 and its connection closed', async (t) => {
  const { app, keys } = await buildTestApp(t, { seed: false, requestTimeoutMs: 1000 })
  const port = await listening(app)
  // With a valid key, so that the body is waited for (without one, 401 answers at once).
  const res = await rawRequest(
    port,
    `POST /v1/sources HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys.editor}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`,
    10_000,
  )
  t.equal(res.status, 408)
  t.match(res.headers['content-type'], PROBLEM)
  t.equal(res.headers.connection, 'close')
  t.same(JSON.parse(res.body), {
    type: '/problems/request-timeout',
    title: 'The request did not arrive in time',
    status: 408,
    detail: 'The request (its headers and body) did not arrive in time; send it again.',
    instance: '/v1/sources',
  })
  t.ok(res.closedAfterMs >= 900 && res.closedAfterMs < 2500, `closed after about the timeout (${res.closedAfterMs} ms)`)

  const slowHeaders = await rawRequest(port, 'GET /v1/sources HTTP/1.1\r\nHost: x\r\n', 10_000)
  t.equal(slowHeaders.status, 408, 'headers that never end time out too')
  t.ok(slowHeaders.closedAfterMs < 2500, `closed after ${slowHeaders.closedAfterMs} ms`)
})

t.test('If-Match with an entity-tag that is not the current one is 412 on every route that takes it (RFC 9110 §13.1.1); unquoted garbage is 400', async (t) => {
  const { http, editor, database } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const change = { nationality: { value: 'BY', citations: [{ sourceId: SEED.articleB, quote: 'five Belarusians' }] } }
  const rank = { claimId: read.body.name.alternatives[0].claimId, rank: 'preferred', reason: 'Viasna spells it Karney' }
  const eventChange = { count: { value: 14, citations: [{ sourceId: SEED.articleA, quote: 'securing the release of the 14 individuals' }] } }
  const writes = {
    'PATCH a record': () => editor.patch(`/v1/prisoners/${SEED.karnei}`).send(change),
    'DELETE a record': () => editor.delete(`/v1/prisoners/${SEED.karnei}`),
    "rank a record's claim": () => editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`).send(rank),
    'review a record': () => editor.post(`/v1/prisoners/${SEED.karnei}/review`).send({ decision: 'approve' }),
    'PATCH an event': () => editor.patch(`/v1/events/${SEED.release}`).send(eventChange),
  }
  const before = await snapshot(database)
  for (const [name, write] of Object.entries(writes)) {
    for (const stale of ['"stale-etag"', 'W/"stale-etag"', `"stale", "older"`]) {
      const res = await write().set('if-match', stale)
      t.equal(res.status, 412, `${name}, If-Match: ${stale}: 412`)
      t.equal(res.body.type, '/problems/precondition-failed')
    }
    const garbage = await write().set('if-match', 'stale-etag')
    t.equal(garbage.status, 400, `${name}, If-Match: stale-etag (no quotes, not an ETag of ours): 400`)
    t.equal(garbage.body.errors[0].path, 'if-match')
  }
  t.same(await snapshot(database), before, 'nothing was written')
})

t.test('OPTIONS that is no CORS preflight answers 204 with Allow, on every path a route has; a preflight is still answered by CORS', async (t) => {
  const { app, http } = await buildTestApp(t)
  const paths: Record<string, string> = {
    '/v1/prisoners': 'GET, HEAD, POST, OPTIONS',
    '/v1/prisoners?q=x': 'GET, HEAD, POST, OPTIONS',
    [`/v1/prisoners/${SEED.karnei}`]: 'GET, HEAD, PATCH, DELETE, OPTIONS',
    [`/v1/prisoners/${SEED.karnei}/fields/name/rank`]: 'POST, OPTIONS',
    '/v1/sources': 'GET, HEAD, POST, OPTIONS',
    [`/v1/events/${SEED.release}`]: 'GET, HEAD, PATCH, DELETE, OPTIONS',
    '/docs/': 'GET, HEAD, OPTIONS',
  }
  for (const [path, allow] of Object.entries(paths)) {
    const res = await http.options(path)
    t.equal(res.status, 204, `OPTIONS ${path}: 204`)
    t.equal(res.headers.allow, allow, `OPTIONS ${path}: Allow: ${allow}`)
    t.equal(res.text, '', 'no body')
    t.equal(res.headers['x-content-type-options'], 'nosniff', 'the security headers too')
  }
  const onlyOrigin = await http.options('/v1/sources').set('origin', 'https://advocacy.example')
  t.same([onlyOrigin.status, onlyOrigin.headers.allow], [204, 'GET, HEAD, POST, OPTIONS'], 'an Origin without Access-Control-Request-Method is no preflight')

  const nowhere = await http.options('/v1/nothing')
  t.equal(nowhere.status, 404, 'a path no route has')
  t.equal(nowhere.body.type, '/problems/not-found')
  t.notOk(nowhere.headers.allow)

  const preflight = await http.options('/v1/prisoners').set('origin', 'https://advocacy.example').set('access-control-request-method', 'GET')
  t.equal(preflight.status, 204, 'a CORS preflight')
  t.equal(preflight.headers['access-control-allow-origin'], '*')
  t.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD')
  t.notOk(preflight.headers.allow, 'answered by CORS')

  // OPTIONS * asks about the server (RFC 9110 §9.3.7): supertest cannot send it.
  const server = await rawRequest(await listening(app), 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(server.status, 204, 'OPTIONS *')
  t.same(server.headers.allow.split(', ').sort(), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST'], 'the methods some path has')
})

t.test('a registered method the path lacks (QUERY, PROPFIND, PUT, TRACE) is 405 with the Allow of the path; a method no registry has is 501 (RFC 9110 §15.5.6, §15.6.2)', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listening(app)
  for (const method of ['QUERY', 'PROPFIND', 'PUT', 'TRACE']) {
    const res = await rawRequest(port, `${method} /v1/prisoners?q=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    t.equal(res.status, 405, `${method}: 405`)
    t.match(res.headers['content-type'], PROBLEM)
    t.equal(res.headers.allow, 'GET, HEAD, POST, OPTIONS', `${method}: Allow lists the methods of the path`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${method}: security headers too`)
    t.match(JSON.parse(res.body), { type: '/problems/method-not-allowed', status: 405, detail: `${method} is not a method of /v1/prisoners: it has GET, HEAD, POST, OPTIONS.` })
  }
  const query = await rawRequest(port, 'QUERY /v1/prisoners HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')
  t.equal(query.status, 405, 'QUERY with a body, as its draft sends it: 405 too')
  const nowhere = await rawRequest(port, 'QUERY /v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(nowhere.status, 404, 'on a path no route has: 404')
  t.notOk(nowhere.headers.allow)

  const foo = await rawRequest(port, 'FOO /v1/prisoners?q=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(foo.status, 501, 'FOO: 501')
  t.equal(foo.headers.allow, 'GET, HEAD, POST, OPTIONS', 'with the Allow of the path')
  t.same(JSON.parse(foo.body), {
    type: '/problems/not-implemented',
    title: 'This method is not implemented by this API',
    status: 501,
    detail: 'FOO is not a method this API implements on any path; /v1/prisoners has GET, HEAD, POST, OPTIONS.',
    instance: '/v1/prisoners?q=x',
  })
})

t.test('raw UTF-8 in the query string (as curl sends ?q=Карней) answers as its percent-encoded twin; what is malformed stays 400', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listening(app)
  const get = (target: string | Buffer, method = 'GET') =>
    rawRequest(port, Buffer.concat([Buffer.from(`${method} `), Buffer.from(target), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]))
  const encoded = await get(`/v1/prisoners?q=${encodeURIComponent('Карней')}`)
  t.equal(encoded.status, 200)
  t.equal(JSON.parse(encoded.body).data.length, 1, 'the encoded search finds Karnei')

  const raw = await get('/v1/prisoners?q=Карней')
  t.equal(raw.status, 200, 'raw UTF-8 bytes in the query')
  t.match(raw.headers['content-type'], /^application\/json/)
  t.same(JSON.parse(raw.body).data, JSON.parse(encoded.body).data, 'the same records as the encoded query')
  t.equal(raw.headers.etag, encoded.headers.etag, 'the same representation')
  t.equal(Number(raw.headers['content-length']), Buffer.byteLength(raw.body), "Content-Length is the body's")
  t.equal(raw.headers['x-content-type-options'], 'nosniff', 'through every hook: the security headers')
  t.ok(raw.headers['x-request-id'], 'and a request id')
  t.equal(raw.headers.connection, 'close')

  const head = await get('/v1/prisoners?q=Карней', 'HEAD')
  t.same([head.status, head.body], [200, ''], 'HEAD too, without a body')

  for (const [name, target] of [
    ['raw UTF-8 in the path', '/v1/Карней?q=x'],
    ['bytes that are not UTF-8 in the query', Buffer.concat([Buffer.from('/v1/prisoners?q='), Buffer.from([0xd0, 0x20 + 0x0a])])],
    ['a lone continuation byte', Buffer.concat([Buffer.from('/v1/prisoners?q='), Buffer.from([0x9a])])],
    ['DEL in the query', '/v1/prisoners?q=a\x7f'],
  ] as const) {
    const res = await get(target)
    t.equal(res.status, 400, `${name}: still 400`)
    t.match(JSON.parse(res.body).detail, /a character a URL may not have/)
  }
  const withBody = await rawRequest(port, 'POST /v1/prisoners?q=Карней HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}')
  t.equal(withBody.status, 400, 'a request with a body stays refused')
})
