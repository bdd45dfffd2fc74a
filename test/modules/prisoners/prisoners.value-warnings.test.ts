import t, { type Test } from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

/**
 * A typed value its quote does not seem to say (Poland quoted from "a Belarusian journalist", the 22nd quoted from
 * "21 June 2025") is written, since sources paraphrase, and said plainly: a warning on the write's answer and in the
 * review queue (src/core/evidence/value-support.ts).
 */

const ARTICLE = 'The Belarusian journalist Ihar Losik was released on Saturday and taken to Vilnius, Lithuania. He was released on 21 June 2025.'

async function setUp(t: Test) {
  const app = await buildTestApp(t)
  const source = await app.volunteer.post('/v1/sources').type('form').send({ title: 'Losik freed', kind: 'news', content: ARTICLE })
  if (source.status !== 201) throw new Error(JSON.stringify(source.body))
  return { app, cite: (quote: string) => [{ sourceId: source.body.id as string, quote }], sourceId: source.body.id as string }
}

t.test('a JSON write whose value its quote does not say is saved, with a warning naming the value', async (t) => {
  const { app, cite } = await setUp(t)
  const created = await app.volunteer.post('/v1/prisoners').send({
    name: { value: 'Ihar Losik', citations: cite('Ihar Losik') },
    nationality: { value: 'PL', citations: cite('The Belarusian journalist') },
    status: { value: 'released', citations: cite('Ihar Losik was released on Saturday') },
    destination: { value: { country: 'LT' }, citations: cite('taken to Vilnius, Lithuania') },
  })
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.equal(created.body.nationality.value, 'PL', 'written as sent: a warning, not a refusal')
  t.match(created.body.warnings, [{ path: '/nationality/value', message: /^nationality: no quote of this value seems to say PL \(Poland\)/ }])
  t.equal(created.body.warnings.length, 1, 'the values their quotes say are not named')

  const queue = await app.editor.get('/v1/review')
  const entry = queue.body.records.find((pending: { id: string }) => pending.id === created.body.id)
  t.same(entry.warnings, created.body.warnings, 'the review queue shows the editor the same warning')

  const read = await app.volunteer.get(`/v1/prisoners/${created.body.id}`)
  t.notOk('warnings' in read.body, 'a read is the record alone')
  t.equal(read.headers.etag, created.headers.etag, "the write's ETag is the record's")
})

t.test('a form write is warned at its form fields; a dry run too', async (t) => {
  const { app, sourceId } = await setUp(t)
  const form = {
    sourceId,
    name: 'Ihar Losik',
    nameQuote: 'Ihar Losik',
    releaseDate: '2025-06-22',
    releaseDateQuote: 'He was released on 21 June 2025',
    destinationCountry: 'Białoruś',
    destinationQuote: 'taken to Vilnius, Lithuania',
  }
  const dry = await app.volunteer.post('/v1/prisoners?dryRun=true').type('form').send(form)
  t.equal(dry.status, 200, JSON.stringify(dry.body))
  t.same(dry.body.warnings.map((w: { path: string }) => w.path), ['releaseDate', 'destinationCountry'])
  t.match(dry.body.warnings[0].message, /22 June 2025/)
  const saved = await app.volunteer.post('/v1/prisoners').type('form').send({ ...form, releaseDate: '2025-06-21', destinationCountry: 'Lithuania (LT)' })
  t.equal(saved.status, 201)
  t.same(saved.body.warnings, [], 'values their quotes say: no warning')
})

t.test("a volunteer's proposed change is warned too, in the 202 and in the review queue", async (t) => {
  const { app, cite } = await setUp(t)
  const read = await app.volunteer.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const proposed = await app.volunteer
    .patch(`/v1/prisoners/${SEED.tsikhanouski}`)
    .set('if-match', read.headers.etag)
    .send({ nationality: { value: 'LT', citations: cite('The Belarusian journalist') } })
  t.equal(proposed.status, 202, JSON.stringify(proposed.body))
  t.match(proposed.body.warnings, [{ path: '/nationality/value', message: /LT \(Lithuania\)/ }])
  const queue = await app.editor.get('/v1/review')
  t.same(queue.body.proposals.find((p: { id: string }) => p.id === proposed.body.id).warnings, proposed.body.warnings)
})
