import t from 'tap'
import { buildTestApp } from '../helpers/test-app'

t.test('every answer names its request id: the proxy’s X-Request-Id when usable, else a new UUID', async (t) => {
  const { app } = await buildTestApp(t)
  const made = await app.inject({ method: 'GET', url: '/v1/prisoners?limit=1' })
  t.match(made.headers['x-request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'made: a UUID')
  const again = await app.inject({ method: 'GET', url: '/v1/prisoners?limit=1' })
  t.not(again.headers['x-request-id'], made.headers['x-request-id'], 'a new one per request')

  const given = await app.inject({ method: 'GET', url: '/v1/prisoners?limit=1', headers: { 'x-request-id': 'nginx-7f3a9c01e2b4' } })
  t.equal(given.headers['x-request-id'], 'nginx-7f3a9c01e2b4', 'the one the proxy sent, returned as it came')

  for (const forged of ['two words', 'x'.repeat(129), 'a\u0000b', '', '"quoted"']) {
    const answer = await app.inject({ method: 'GET', url: '/v1/prisoners?limit=1', headers: { 'x-request-id': forged } })
    t.not(answer.headers['x-request-id'], forged, `not taken as given: ${JSON.stringify(forged.slice(0, 20))}`)
    t.match(answer.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'replaced by a UUID')
  }
})

t.test('errors carry it too, those of the router and those raised before routing', async (t) => {
  const { app } = await buildTestApp(t)
  const notFound = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'trace-404' } })
  t.equal(notFound.statusCode, 404)
  t.equal(notFound.headers['x-request-id'], 'trace-404')
  const malformed = await app.inject({ method: 'GET', url: '/v1/prisoners/%E0%A4%A', headers: { 'x-request-id': 'trace-400' } })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.headers['x-request-id'], 'trace-400')
  const unauthorized = await app.inject({ method: 'POST', url: '/v1/sources', headers: { authorization: 'Bearer wrong', 'x-request-id': 'trace-401' }, payload: {} })
  t.equal(unauthorized.statusCode, 401)
  t.equal(unauthorized.headers['x-request-id'], 'trace-401')
})

t.test('pages on other sites can read it (CORS exposes it)', async (t) => {
  const { app } = await buildTestApp(t)
  const answer = await app.inject({ method: 'GET', url: '/v1/prisoners?limit=1', headers: { origin: 'https://advocacy.example' } })
  t.match(answer.headers['access-control-expose-headers'], /x-request-id/i)
})
