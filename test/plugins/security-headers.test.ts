import t, { Test } from 'tap'
import { buildTestApp, SEED } from '../helpers/test-app'
import { listening, rawRequest } from '../helpers/raw-http'

const API_CSP = /^default-src 'none';\s*frame-ancestors 'none'/

// Helmet's defaults for HTML documents and old browsers: Swagger UI's pages carry them, the API's JSON does not.
const DOCUMENT_ONLY = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']

/** The headers every answer carries, whatever it is. */
function hasSecurityHeaders(t: Test, headers: Record<string, unknown>, what: string) {
  t.equal(headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`)
  t.match(headers['content-security-policy'], /frame-ancestors 'none'/, `${what}: a Content-Security-Policy that forbids framing`)
  t.equal(headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`)
  t.equal(headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`)
  t.equal(headers['cross-origin-resource-policy'], 'cross-origin', `${what}: readable from other origins' pages`)
}

t.test('every kind of answer carries the security headers; the API a strict policy, Swagger UI its own', async (t) => {
  const { app, http, editor } = await buildTestApp(t)

  const json = await http.get('/v1/sources')
  t.equal(json.status, 200)
  hasSecurityHeaders(t, json.headers, 'API JSON')
  t.match(json.headers['content-security-policy'], API_CSP, 'API JSON: nothing may load or run')
  for (const header of DOCUMENT_ONLY) t.notOk(header in json.headers, `API JSON: no ${header}, a header for HTML documents or old browsers`)

  const notModified = await http.get(`/v1/prisoners/${SEED.karnei}`).set('if-none-match', (await http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag)
  t.equal(notModified.status, 304)
  hasSecurityHeaders(t, notModified.headers, '304')

  const notFound = await http.get('/v1/nothing')
  t.equal(notFound.status, 404)
  hasSecurityHeaders(t, notFound.headers, 'problem+json 404')
  t.match(notFound.headers['content-security-policy'], API_CSP)

  const notAllowed = await editor.put('/v1/sources')
  t.equal(notAllowed.status, 405)
  hasSecurityHeaders(t, notAllowed.headers, 'problem+json 405')

  const unauthorized = await editor.post('/v1/sources').set('authorization', 'Bearer nonsense').send({})
  t.equal(unauthorized.status, 401)
  hasSecurityHeaders(t, unauthorized.headers, 'problem+json from a hook')

  const badUrl = await app.inject({ method: 'GET', url: '/v1/prisoners/%ff' })
  t.equal(badUrl.statusCode, 400, 'a malformed URL (answered before any hook runs)')
  hasSecurityHeaders(t, badUrl.headers, 'problem+json before routing')

  const parserError = await rawRequest(await listening(app), 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n')
  t.equal(parserError.status, 501)
  hasSecurityHeaders(t, parserError.headers, "problem+json from Node's HTTP parser")

  const openapi = await http.get('/openapi.json')
  t.equal(openapi.status, 200)
  hasSecurityHeaders(t, openapi.headers, '/openapi.json')
  t.match(openapi.headers['content-security-policy'], API_CSP)

  for (const path of ['/docs', '/docs/', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/json']) {
    const res = await http.get(path)
    t.equal(res.status, 200, path)
    hasSecurityHeaders(t, res.headers, path)
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /default-src 'self'/, `${path}: Swagger UI may load its own files`)
    t.match(csp, /script-src 'self'(;|$)/, `${path}: scripts only from this origin, none inline`)
    t.notMatch(csp, /upgrade-insecure-requests/, `${path}: works over plain HTTP too`)
    if (path === '/docs' || path === '/docs/') {
      t.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${path}: a document, isolated from the pages that open it`)
      t.equal(res.headers['x-permitted-cross-domain-policies'], 'none', `${path}: helmet's defaults for documents`)
    }
  }
})

t.test('CORS reads from other origins still work under the security headers', async (t) => {
  const { http } = await buildTestApp(t)
  const res = await http.get(`/v1/prisoners/${SEED.karnei}`).set('origin', 'https://advocacy.example')
  t.equal(res.status, 200)
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', 'not same-origin, which would block embedding reads')
  t.match(res.headers['access-control-expose-headers'], /ETag/)
})

// RFC 6797 §7.2: HSTS only over secure transport. The API is plain HTTP behind a TLS proxy, which says so in
// X-Forwarded-Proto; only a trusted proxy is believed.
t.test('Strict-Transport-Security on answers that went over HTTPS through a trusted proxy, never over plain HTTP', async (t) => {
  const HSTS = 'max-age=31536000; includeSubDomains'
  const direct = await buildTestApp(t)
  const plain = await direct.http.get(`/v1/prisoners/${SEED.karnei}`)
  t.equal(plain.status, 200)
  t.notOk('strict-transport-security' in plain.headers, 'plain HTTP: no HSTS (a browser would ignore it)')
  const spoofed = await direct.http.get(`/v1/prisoners/${SEED.karnei}`).set('x-forwarded-proto', 'https')
  t.notOk('strict-transport-security' in spoofed.headers, 'X-Forwarded-Proto from a client no proxy setting trusts: ignored')

  const proxied = await buildTestApp(t, { trustProxy: ['127.0.0.1'] })
  const tls = await proxied.http.get(`/v1/prisoners/${SEED.karnei}`).set('x-forwarded-proto', 'https')
  t.equal(tls.status, 200)
  t.equal(tls.headers['strict-transport-security'], HSTS, 'HTTPS at the trusted proxy: HSTS')
  hasSecurityHeaders(t, tls.headers, 'HTTPS answer')
  const notFound = await proxied.http.get('/v1/nothing').set('x-forwarded-proto', 'https')
  t.equal(notFound.status, 404)
  t.equal(notFound.headers['strict-transport-security'], HSTS, 'a problem over HTTPS: HSTS')
  const proxiedPlain = await proxied.http.get(`/v1/prisoners/${SEED.karnei}`).set('x-forwarded-proto', 'http')
  t.notOk('strict-transport-security' in proxiedPlain.headers, 'plain HTTP at the trusted proxy: no HSTS')
})
