import { parse } from 'csv-parse/sync'
import t from 'tap'
import type { PrisonerDocument } from '../../../src/core/document/fields'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'

/**
 * arrestDate, the field added to prove that a cited field is declared once (core/document/record-fields.ts): served,
 * cited, filterable, exported and written like releaseDate, with Tsikhanouski's arrest in 2020 from article A.
 */

const QUOTE = 'He was arrested in 2020 after announcing his presidential ambitions'

async function download(http: TestApp['http'], format: string): Promise<string> {
  const res = await http
    .get(`/v1/export?format=${format}`)
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => done(null, Buffer.concat(chunks)))
    })
  return (res.body as Buffer).toString('utf8')
}

const namesOf = (res: { body: { data: PrisonerDocument[] } }) => res.body.data.map((record) => record.name.value)

t.test("arrestDate: Tsikhanouski's 2020, cited from article A at the offsets of its words", async (t) => {
  const { http } = await buildTestApp(t)
  const { body } = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`).expect(200)
  const arrest = (body as PrisonerDocument).arrestDate
  t.equal(arrest.value, '2020')
  t.equal(arrest.citations.length, 1)
  const [citation] = arrest.citations
  t.equal(citation.sourceId, SEED.articleA)
  t.equal(citation.quote, QUOTE)
  const content = await http.get(`/v1/sources/${SEED.articleA}/content`).expect(200)
  t.equal([...content.text].slice(citation.start!, citation.end!).join(''), QUOTE, 'the offsets hold the quote in the archived text')

  const other = await http.get(`/v1/prisoners/${SEED.karnei}`).expect(200)
  t.same((other.body as PrisonerDocument).arrestDate, { value: null, claimId: null, citations: [], alternatives: [] }, 'a record without one reads it empty')

  const field = await http.get(`/v1/prisoners/${SEED.tsikhanouski}/fields/arrestDate`)
  t.equal(field.status, 200, 'the field has its own page, as every cited field')
})

t.test('arrestedFrom / arrestedTo filter the list by the date of arrest, as partial dates', async (t) => {
  const { http } = await buildTestApp(t)
  t.same(namesOf(await http.get('/v1/prisoners?arrestedFrom=2020&arrestedTo=2020').expect(200)), ['Siarhei Tsikhanouski'])
  t.same(namesOf(await http.get('/v1/prisoners?arrestedTo=2019-12').expect(200)), [])
  t.same(namesOf(await http.get('/v1/prisoners?arrestedFrom=2021').expect(200)), [])
  t.same(namesOf(await http.get('/v1/prisoners?q=Tsikhanouski&arrestedFrom=2019').expect(200)), ['Siarhei Tsikhanouski'], 'and in a search')
  const bad = await http.get('/v1/prisoners?arrestedFrom=2020-13').expect(400)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  t.match(JSON.stringify(bad.body), /arrestedFrom/)
})

t.test('exports: the CSV has arrest_date and its citations; the ndjson line holds the field', async (t) => {
  const { http } = await buildTestApp(t)
  const rows = parse(await download(http, 'csv'), { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]
  const row = rows.find((r) => r.id === SEED.tsikhanouski)!
  t.equal(row.arrest_date, '2020')
  t.match(row.arrest_date_citations, `${SEED.articleA}[`)
  t.match(row.arrest_date_citations, JSON.stringify(QUOTE))
  const line = (await download(http, 'ndjson')).split('\n').find((l) => l.includes(SEED.tsikhanouski))!
  t.equal(JSON.parse(line).arrestDate.value, '2020')
})

t.test('written as releaseDate is: JSON with a citation, the form with its quote; a date that is not one is refused at its path', async (t) => {
  const { editor } = await buildTestApp(t)
  const name = { value: 'Siarhei Tsikhanouski', citations: [{ sourceId: SEED.articleA, quote: 'prominent opposition figure Siarhei Tsikhanouski' }] }
  const bad = await editor.post('/v1/prisoners').send({ name, arrestDate: { value: '2020-13', citations: [{ sourceId: SEED.articleA, quote: QUOTE }] } })
  t.equal(bad.status, 422)
  t.match(JSON.stringify(bad.body.errors), '/arrestDate/value')

  const created = await editor.post('/v1/prisoners').send({ name, arrestDate: { value: '2020', citations: [{ sourceId: SEED.articleA, quote: QUOTE }] } })
  t.equal(created.status, 201)
  t.equal(created.body.arrestDate.value, '2020')

  const form = await editor
    .post('/v1/prisoners')
    .type('form')
    .send({ sourceId: SEED.articleA, name: 'Siarhei Tsikhanouski', nameQuote: 'prominent opposition figure Siarhei Tsikhanouski', arrestDate: '2020', arrestDateQuote: QUOTE })
  t.equal(form.status, 201)
  t.equal(form.body.arrestDate.value, '2020')
  t.equal(form.body.arrestDate.citations[0].quote, QUOTE)

  const unquoted = await editor.post('/v1/prisoners').type('form').send({ sourceId: SEED.articleA, name: 'Siarhei Tsikhanouski', nameQuote: 'prominent opposition figure Siarhei Tsikhanouski', arrestDate: '2020' })
  t.equal(unquoted.status, 422)
  t.match(JSON.stringify(unquoted.body.errors), 'arrestDateQuote')
})
