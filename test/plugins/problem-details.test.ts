import t from 'tap'
import { buildApp } from '../../src/app'
import { buildTestApp } from '../helpers/test-app'

t.test('an unexpected error is a plain 500 problem, logged but without its stack', async (t) => {
  const { database } = await buildTestApp(t, { seed: false })
  const logs: string[] = []
  const app = await buildApp({ database, logger: { level: 'error', stream: { write: (line: string) => logs.push(line) } } })
  app.get('/boom', async () => {
    throw new Error('secret internals at /srv/registry/src/x.ts:12')
  })
  const res = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(res.statusCode, 500)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.type, '/problems/internal')
  t.notMatch(res.body, /secret internals|\.ts:\d+/)
  t.match(logs.join(''), /secret internals/, 'the cause is in the log for operators')
})

t.test('problem types resolve to their catalogue entry', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  const entry = await http.get('/problems/uncited-value')
  t.same(entry.body, { type: '/problems/uncited-value', status: 422, title: 'Every value needs at least one citation' })
  t.equal((await http.get('/problems/nonsense')).status, 404)
  const health = await http.get('/health')
  t.same(health.body, { status: 'ok', database: 'reachable', writes: 'accepted' })
})
