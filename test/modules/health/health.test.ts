import { once } from 'node:events'
import { type AddressInfo, connect } from 'node:net'
import t from 'tap'
import { buildTestApp } from '../../helpers/test-app'

t.test('/health/ready: 200 while the instance takes requests and its database answers', async (t) => {
  const { http } = await buildTestApp(t)
  const ready = await http.get('/health/ready')
  t.equal(ready.status, 200)
  t.same(ready.body, { status: 'ready' })
  t.equal(ready.headers['cache-control'], 'no-store', 'never cached: a load balancer must see the present')
})

t.test('/health and /health/ready say 503 when the database does not answer', async (t) => {
  const { app, database } = await buildTestApp(t)
  await database.close()
  for (const url of ['/health', '/health/ready']) {
    const answer = await app.inject({ method: 'GET', url })
    t.equal(answer.statusCode, 503, url)
    t.match(answer.headers['content-type'], /^application\/problem\+json/)
    t.match(answer.json(), { type: '/problems/unavailable', detail: /database does not answer/ })
  }
})

t.test('a shutting-down instance turns away new requests with a 503 to retry elsewhere, readiness included', async (t) => {
  const { app } = await buildTestApp(t)
  // A keep-alive connection with a request in flight (headers sent, the body still coming) when close() begins:
  // it holds the close half-way. The body then arrives, with the next request behind it on the same connection,
  // as a load balancer's pooled connection carries them.
  await app.listen({ host: '127.0.0.1', port: 0 })
  const connection = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  await once(connection, 'connect')
  let received = ''
  connection.on('data', (chunk) => (received += chunk))
  const body = JSON.stringify({ title: 'x' })
  connection.write(`POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const closing = app.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(app.shuttingDown, 'the instance knows it is shutting down')
  connection.write(`${body}GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n`)
  await once(connection, 'close')
  await closing

  const [first, second] = received.split(/(?=HTTP\/1\.1 )/)
  t.match(first, /^HTTP\/1\.1 401 /, 'the request in flight was finished (its own answer: no key)')
  t.match(second, /^HTTP\/1\.1 503 /, 'the next one is turned away')
  t.match(second, /content-type: application\/problem\+json/i)
  t.match(second, /retry-after: 1\r\n/i)
  t.match(second, /connection: close\r\n/i, 'and the connection closed, so the balancer moves to another instance')
  t.match(second, /"type":"\/problems\/shutting-down".*another instance will answer/)
})
