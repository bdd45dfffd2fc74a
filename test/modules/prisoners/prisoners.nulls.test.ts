import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

// Stored = served: a sub-value the contract has no null for may be left out, but a null is refused at its path.
// On main at ad57866 these nulls were stored (201), and from then on GET /v1/review answered 500 to every
// editor, because the stored document failed the response schema when it was served.
const name = { value: 'Testa Nullova', citations: [{ sourceId: SEED.articleA, quote: 'Siarhei Tsikhanouski' }] }
const sentenceQuote = [{ sourceId: SEED.articleA, quote: 'In 2021, Tsikhanouski was sentenced to 18 years' }]
const destinationQuote = [{ sourceId: SEED.articleB, quote: 'granted safe haven in Lithuania' }]

const cases: [string, Record<string, unknown>, string][] = [
  ['sentence.termMonths', { sentence: { value: { text: '18 years', termMonths: null }, citations: sentenceQuote } }, '/sentence/value/termMonths'],
  ['sentence.sentencedIn', { sentence: { value: { text: '18 years', sentencedIn: null }, citations: sentenceQuote } }, '/sentence/value/sentencedIn'],
  ['sentence.charges', { sentence: { value: { text: '18 years', charges: null }, citations: sentenceQuote } }, '/sentence/value/charges'],
  ['destination.place', { destination: { value: { country: 'LT', place: null }, citations: destinationQuote } }, '/destination/value/place'],
]

t.test('a null sub-value is a 422 at its path, nothing is stored, and the review queue stays readable', async (t) => {
  const { volunteer, editor, database } = await buildTestApp(t)
  for (const [label, fields, path] of cases) {
    const before = await snapshot(database)
    const created = await volunteer.post('/v1/prisoners').send({ name, ...fields })
    t.equal(created.status, 422, `${label}: null refused`)
    t.match(created.headers['content-type'], /application\/problem\+json/)
    t.ok(
      created.body.errors?.some((error: { path: string }) => error.path === path),
      `${label}: the problem names ${path} (got ${JSON.stringify(created.body.errors?.map((e: { path: string }) => e.path))})`,
    )
    t.same(await snapshot(database), before, `${label}: nothing stored`)
    const changed = await volunteer.patch(`/v1/prisoners/${SEED.tsikhanouski}`).set('if-match', (await volunteer.get(`/v1/prisoners/${SEED.tsikhanouski}`)).headers.etag).send(fields)
    t.equal(changed.status, 422, `${label}: null refused in a change too`)
  }
  const queue = await editor.get('/v1/review')
  t.equal(queue.status, 200, 'GET /v1/review answers 200')
})

t.test('leaving the sub-values out is still accepted', async (t) => {
  const { volunteer } = await buildTestApp(t)
  const created = await volunteer
    .post('/v1/prisoners')
    .send({ name, sentence: { value: { text: '18 years' }, citations: sentenceQuote }, destination: { value: { country: 'LT' }, citations: destinationQuote } })
  t.equal(created.status, 201, JSON.stringify(created.body))
})
