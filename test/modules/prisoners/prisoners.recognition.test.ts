import { parse } from 'csv-parse/sync'
import t from 'tap'
import type { PrisonerDocument } from '../../../src/core/document/fields'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'

/**
 * recognition: that the person was recognised as a political prisoner, by which organisations and when (a cited
 * field declared once in core/document/record-fields.ts): served, cited, filtered by organisation and by date,
 * exported in JSON and CSV, written in JSON and in the form, kept in history, with an alternative when statements
 * disagree. The seed's articles do not say it: its records read it empty.
 */

const STATEMENT =
  'Joint statement, 12 March 2024. Viasna and the Belarusian Association of Journalists recognised Aliaksandr Mikalaeŭ as a political prisoner.\n' +
  'A later statement of Belarusian PEN, 2 April 2024, recognised Aliaksandr Mikalaeŭ as well.'
const NAME_QUOTE = 'Aliaksandr Mikalaeŭ'
const QUOTE = 'Joint statement, 12 March 2024. Viasna and the Belarusian Association of Journalists recognised Aliaksandr Mikalaeŭ as a political prisoner'
const OTHER_QUOTE = 'A later statement of Belarusian PEN, 2 April 2024, recognised Aliaksandr Mikalaeŭ'

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

/** A statement as a source, and a record recognised by it (by an editor: published at once). */
async function recognised(app: TestApp) {
  const source = await app.editor.post('/v1/sources').send({ title: 'Joint statement', kind: 'ngo', content: STATEMENT }).expect(201)
  const sourceId = source.body.id as string
  const created = await app.editor.post('/v1/prisoners').send({
    name: { value: 'Aliaksandr Mikalaeŭ', citations: [{ sourceId, quote: NAME_QUOTE }] },
    recognition: {
      value: { by: ['Viasna', 'Belarusian Association of Journalists'], date: '2024-03-12' },
      citations: [{ sourceId, quote: QUOTE }],
      alternatives: [{ value: { by: ['Belarusian PEN'], date: '2024-04-02' }, citations: [{ sourceId, quote: OTHER_QUOTE }] }],
    },
  })
  return { sourceId, created }
}

t.test('served and cited: the organisations and the date, the quote at its offsets, another statement as an alternative', async (t) => {
  const app = await buildTestApp(t)
  const { sourceId, created } = await recognised(app)
  t.equal(created.status, 201, JSON.stringify(created.body))
  const { body } = await app.http.get(`/v1/prisoners/${created.body.id}`).expect(200)
  const recognition = (body as PrisonerDocument).recognition
  t.same(recognition.value, { by: ['Viasna', 'Belarusian Association of Journalists'], date: '2024-03-12' })
  const [citation] = recognition.citations
  t.equal(citation.sourceId, sourceId)
  const content = await app.http.get(`/v1/sources/${sourceId}/content`).expect(200)
  t.equal([...content.text].slice(citation.start!, citation.end!).join(''), QUOTE, 'the offsets hold the quote in the archived text')
  t.same(
    recognition.alternatives.map((a) => a.value),
    [{ by: ['Belarusian PEN'], date: '2024-04-02' }],
    'the statement that disagrees is kept',
  )

  const seeded = await app.http.get(`/v1/prisoners/${SEED.tsikhanouski}`).expect(200)
  t.same((seeded.body as PrisonerDocument).recognition, { value: null, claimId: null, citations: [], alternatives: [] }, "the seed's records read it empty")
  t.equal((await app.http.get(`/v1/prisoners/${created.body.id}/fields/recognition`)).status, 200, 'the field has its own page')

  const history = await app.http.get(`/v1/prisoners/${created.body.id}/history`).expect(200)
  t.same(history.body.data[0].changes.recognition.after.value, { by: ['Viasna', 'Belarusian Association of Journalists'], date: '2024-03-12' }, 'history shows it')
})

t.test('recognizedBy finds whole words of one organisation, in any case and diacritics; the dates filter as partial dates', async (t) => {
  const app = await buildTestApp(t)
  await recognised(app)
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=Viasna').expect(200)), ['Aliaksandr Mikalaeŭ'])
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=association%20of%20JOURNALISTS').expect(200)), ['Aliaksandr Mikalaeŭ'])
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=Vias').expect(200)), [], 'a part of a word is not a word')
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=Belarusian%20PEN').expect(200)), [], "an alternative's organisation is not the record's value")
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=Viasna%20Belarusian').expect(200)), [], 'words of two organisations are not one name')
  t.same(namesOf(await app.http.get('/v1/prisoners?recognizedBy=50%25').expect(200)), [], 'a LIKE wildcard is a word like any other')
  t.same(namesOf(await app.http.get('/v1/prisoners?recognitionDateFrom=2024-03&recognitionDateTo=2024-03').expect(200)), ['Aliaksandr Mikalaeŭ'])
  t.same(namesOf(await app.http.get('/v1/prisoners?recognitionDateFrom=2024-04').expect(200)), [])
  t.same(namesOf(await app.http.get('/v1/prisoners?sort=-recognition&limit=1').expect(200)), ['Aliaksandr Mikalaeŭ'], 'lists sort on it')
  const bad = await app.http.get('/v1/prisoners?recognitionDateFrom=2024-13&recognizedBy=%20').expect(400)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  t.match(JSON.stringify(bad.body), /recognitionDateFrom/)
  t.match(JSON.stringify(bad.body), /recognizedBy/)
})

t.test('exports: CSV recognition_by, recognition_date and the citations; ndjson holds the field', async (t) => {
  const app = await buildTestApp(t)
  const { sourceId, created } = await recognised(app)
  const rows = parse(await download(app.http, 'csv'), { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]
  const row = rows.find((r) => r.id === created.body.id)!
  t.equal(row.recognition_by, 'Viasna | Belarusian Association of Journalists')
  t.equal(row.recognition_date, '2024-03-12')
  t.match(row.recognition_citations, `${sourceId}[`)
  t.equal(rows.find((r) => r.id === SEED.tsikhanouski)!.recognition_by, '')
  const line = (await download(app.http, 'ndjson')).split('\n').find((l) => l.includes(created.body.id))!
  t.same(JSON.parse(line).recognition.value.by, ['Viasna', 'Belarusian Association of Journalists'])
})

t.test('the form: organisations separated by semicolons, the date, one quote; a wrong date or no organisation refused at its form field', async (t) => {
  const app = await buildTestApp(t)
  const source = await app.volunteer.post('/v1/sources').send({ title: 'Joint statement', kind: 'ngo', content: STATEMENT }).expect(201)
  const form = { sourceId: source.body.id, name: 'Aliaksandr Mikalaeŭ', nameQuote: NAME_QUOTE, recognitionQuote: QUOTE }
  const sent = await app.volunteer.post('/v1/prisoners').type('form').send({ ...form, recognitionBy: 'Viasna; Belarusian Association of Journalists', recognitionDate: '2024-03-12' })
  t.equal(sent.status, 201, JSON.stringify(sent.body))
  t.same(sent.body.recognition.value, { by: ['Viasna', 'Belarusian Association of Journalists'], date: '2024-03-12' })
  t.equal(sent.body.recognition.citations[0].quote, QUOTE)

  const bad = await app.volunteer.post('/v1/prisoners').type('form').send({ ...form, recognitionBy: ' ; ', recognitionDate: '2024-13' })
  t.equal(bad.status, 422)
  const fields = (bad.body.errors as { path: string }[]).map((e) => e.path)
  t.ok(fields.some((path) => path.includes('recognitionBy')), JSON.stringify(bad.body.errors))
  t.ok(fields.some((path) => path.includes('recognitionDate')), JSON.stringify(bad.body.errors))

  const json = await app.editor.post('/v1/prisoners').send({
    name: { value: 'Aliaksandr Mikalaeŭ', citations: [{ sourceId: source.body.id, quote: NAME_QUOTE }] },
    recognition: { value: { by: [] }, citations: [{ sourceId: source.body.id, quote: QUOTE }] },
  })
  t.equal(json.status, 422)
  t.match(JSON.stringify(json.body.errors), '/recognition/value/by')
})
