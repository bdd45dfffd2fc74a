import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

t.test('the seeded sources are archived whole, with their SHA-256', async (t) => {
  const { http } = await buildTestApp(t)
  const { body } = await http.get('/v1/sources')
  t.equal(body.data.length, 3)
  t.equal(body.next, null)
  for (const [id, file] of [
    [SEED.articleA, 'article-a.txt'],
    [SEED.articleB, 'article-b.txt'],
  ]) {
    const original = readFileSync(path.join(__dirname, '../../../seeds-data/sources', file), 'utf8')
    const content = await http.get(`/v1/sources/${id}/content`)
    t.equal(content.status, 200)
    t.match(content.headers['content-type'], /^text\/plain; charset=utf-8/)
    t.equal(content.text, original, `${file} archived byte for byte`)
    const sha = createHash('sha256').update(original).digest()
    t.equal(content.headers['repr-digest'], `sha-256=:${sha.toString('base64')}:`)
    const source = (await http.get(`/v1/sources/${id}`)).body
    t.equal(source.contentSha256, sha.toString('hex'))
    t.equal(source.contentLength, [...original].length)
    t.equal(source.addedBy, 'seed', 'who added it')
  }
  const rbc = (await http.get(`/v1/sources/${SEED.rbc}`)).body
  t.equal(rbc.hasContent, false)
  t.match(rbc.url, /^https:\/\/newsukraine\.rbc\.ua\//)
  const noText = await http.get(`/v1/sources/${SEED.rbc}/content`)
  t.equal(noText.status, 404)
  t.match(noText.body.detail, /no archived text/)
})

t.test('a volunteer adds a source and cites it', async (t) => {
  const { editor, volunteer } = await buildTestApp(t, { seed: false })
  const content = 'On 21 June 2025 the freed prisoners were brought to Vilnius.'
  const created = await volunteer
    .post('/v1/sources')
    .send({ title: 'A report', kind: 'news', url: 'https://example.org/report', publishedAt: '2025-06-21', language: 'en', content })
  t.equal(created.status, 201)
  t.equal(created.headers.location, `/v1/sources/${created.body.id}`)
  t.equal(created.body.contentSha256, createHash('sha256').update(content).digest('hex'))
  t.notOk('content' in created.body, 'the text is served on its own route, not in every read')
  t.equal(created.body.addedBy, 'Vera Volunteer', 'the source names who added it')

  const cited = await editor.post('/v1/prisoners').send({
    releaseDate: { value: '2025-06-21', citations: [{ sourceId: created.body.id, quote: 'On 21 June 2025 the freed prisoners' }] },
    destination: { value: { country: 'LT', place: 'Vilnius' }, citations: [{ sourceId: created.body.id, quote: 'brought to Vilnius' }] },
  })
  t.equal(cited.status, 201)
  t.same(cited.body.destination.citations[0].start, content.indexOf('brought to Vilnius'))
})

t.test('a source is refused with reasons, and nothing is stored', async (t) => {
  const { http, editor, database } = await buildTestApp(t, { seed: false })
  const before = (await snapshot(database))
  const res = await editor.post('/v1/sources').send({ title: '', kind: 'blog', url: 'ftp://x', publishedAt: '2025-13', contentSha256: 'abc' })
  t.equal(res.status, 422)
  t.same(res.body.errors.map((e: { path: string }) => e.path).sort(), ['/contentSha256', '/kind', '/publishedAt', '/title', '/url'])
  t.same((await snapshot(database)), before)
  t.equal((await http.get('/v1/sources/6a1f0a4e-0000-4000-8000-000000000000')).status, 404)
})

t.test('sources page with a cursor', async (t) => {
  const { http } = await buildTestApp(t)
  const first = await http.get('/v1/sources?limit=2')
  t.equal(first.body.data.length, 2)
  t.type(first.body.next, 'string')
  const second = await http.get(`/v1/sources?limit=2&cursor=${first.body.next}`)
  t.equal(second.body.data.length, 1)
  t.equal(second.body.next, null)
  const ids = [...first.body.data, ...second.body.data].map((s: { id: string }) => s.id).sort()
  t.same(ids, [SEED.articleA, SEED.articleB, SEED.rbc].sort())
})
