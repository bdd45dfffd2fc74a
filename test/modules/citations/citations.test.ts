import t from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

t.test('from a value to the words around its quote and the revision that introduced it', async (t) => {
  const { http } = await buildTestApp(t)
  const record = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).body
  const citation = record.sentence.citations[0]
  const trace = (await http.get(`/v1/citations/${citation.id}`)).body
  t.equal(trace.quote, citation.quote)
  t.same([trace.start, trace.end], [citation.start, citation.end])
  t.equal(trace.context.quote, citation.quote, 'the archived words at the offsets are the quote')
  t.match(trace.context.before, /isolation|state policies|ambitions/, 'with the text before')
  t.match(trace.context.after, /In 2023/, 'and after')
  t.same(trace.source, { id: SEED.articleA, title: trace.source.title, publisher: 'EU Today', url: 'https://eutoday.net/tag/opposition', hasContent: true })
  t.same([trace.claim.recordId, trace.claim.field, trace.claim.rank], [SEED.tsikhanouski, 'sentence', 'preferred'])
  t.equal(trace.claim.value.termMonths, 234)
  t.same([trace.introducedBy.version, trace.introducedBy.action, trace.introducedBy.actor], [1, 'create', 'seed'])

  const unarchived = (await http.get(`/v1/citations/${record.releaseDate.citations[0].id}`)).body
  t.equal(unarchived.context, null, 'a source without archived text has no context to show')
  t.equal(unarchived.source.hasContent, false)
  t.equal((await http.get('/v1/citations/6a1f0a4e-0000-4000-8000-000000000000')).status, 404)
})

t.test('the revision that introduced a later citation', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const patched = await editor
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'Among them was Ihar Karnei' }] }, comment: 'closer quote' })
  const trace = (await http.get(`/v1/citations/${patched.body.status.citations[0].id}`)).body
  t.same([trace.introducedBy.version, trace.introducedBy.comment], [2, 'closer quote'])
  t.match(trace.introducedBy.actor, /^editor [0-9a-f]{6}$/, 'the public reads a role and a pseudonym, not the key name')
  t.equal((await editor.get(`/v1/citations/${patched.body.status.citations[0].id}`)).body.introducedBy.actor, 'Edgar Editor', 'editors read the name')
})

t.test('everything that cites a source, in the order of its text', async (t) => {
  const { http } = await buildTestApp(t)
  const first = (await http.get(`/v1/sources/${SEED.articleB}/citations?limit=5`)).body
  t.equal(first.data.length, 5)
  let all = first.data
  let next = first.next
  while (next) {
    const page = (await http.get(`/v1/sources/${SEED.articleB}/citations?limit=5&cursor=${next}`)).body
    all = all.concat(page.data)
    next = page.next
  }
  t.equal(new Set(all.map((c: { id: string }) => c.id)).size, all.length, 'no citation twice')
  t.ok(all.every((c: { start: number }, i: number) => i === 0 || c.start >= all[i - 1].start), 'in text order')
  t.ok(all.every((c: { context: { quote: string } }) => c.context.quote.length > 0))
  t.ok(all.some((c: { recordId: string; field: string }) => c.recordId === SEED.karnei && c.field === 'name'))
  t.equal((await http.get('/v1/sources/6a1f0a4e-0000-4000-8000-000000000000/citations')).status, 404)
})
