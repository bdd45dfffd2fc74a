import t from 'tap'
import { buildTestApp } from '../helpers/test-app'

t.test('a Swagger UI page URL with a query string redirects once to the page without it', async (t) => {
  const { app } = await buildTestApp(t, { seed: false })
  const cases = [
    ['/docs?utm_source=x', '/docs'],
    ['/docs/?utm_source=x&utm_medium=y', '/docs/'],
    ['/docs/static/index.html?url=x', '/docs/'],
    ['/docs/static/index.html', '/docs/'],
  ]
  for (const [url, location] of cases) {
    let res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 302, `${url}: redirected`)
    t.equal(res.headers.location, location, `${url}: to ${location}`)
    res = await app.inject({ method: 'GET', url: res.headers.location as string })
    t.equal(res.statusCode, 200, `${location}: answers 200, no second redirect`)
    t.match(res.headers['content-type'], /^text\/html/)
    t.match(res.body, /swagger-initializer\.js/, `${location}: the Swagger UI page`)
  }
  for (const url of ['/docs', '/docs/']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${url} without a query is the page itself`)
  }
  const json = await app.inject({ method: 'GET', url: '/docs/json?x=1' })
  t.equal(json.statusCode, 200, 'the document ignores a query string, as before')
  t.equal(json.json().openapi, '3.1.0')
})
