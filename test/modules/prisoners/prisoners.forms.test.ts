import t from 'tap'
import { SEED, TestApp, buildTestApp, snapshot } from '../../helpers/test-app'

const ARTICLE =
  'Minsk, 21 June 2025. The Belarusian journalist Ihar Losik was released on Saturday and taken to Vilnius, Lithuania.\n\n' +
  'He had been sentenced to 15 years in a penal colony. He was released on 21 June 2025.'

async function addSource({ volunteer }: TestApp): Promise<string> {
  const source = await volunteer.post('/v1/sources').field('title', 'Losik freed').field('kind', 'news').field('content', ARTICLE)
  if (source.status !== 201) throw new Error(JSON.stringify(source.body))
  return source.body.id
}

const fullForm = (sourceId: string): Record<string, string> => ({
  sourceId,
  name: 'Ihar Losik',
  nameQuote: 'The Belarusian journalist Ihar Losik',
  nationality: 'BY',
  nationalityQuote: 'The Belarusian journalist',
  status: 'released',
  statusQuote: 'Ihar Losik was released on Saturday',
  sentenceText: '15 years in a penal colony',
  sentenceQuote: 'He had been sentenced to 15 years in a penal colony',
  releaseDate: '2025-06-21',
  releaseDateQuote: 'He was released on 21 June 2025',
  destinationCountry: 'LT',
  destinationPlace: 'Vilnius',
  destinationQuote: 'taken to Vilnius, Lithuania',
  comment: 'From the form.',
})

function multipart(request: ReturnType<TestApp['volunteer']['post']>, form: Record<string, string>) {
  for (const [key, value] of Object.entries(form)) request.field(key, value)
  return request
}

t.test('a record through the flat form: every value cited from the one source, its quotes located', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await addSource(app)
  const form = fullForm(sourceId)
  const created = await multipart(app.volunteer.post('/v1/prisoners'), form)
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.equal(created.headers['review-status'], 'pending')
  const record = created.body
  t.same(
    [record.name.value, record.nationality.value, record.status.value, record.sentence.value, record.releaseDate.value, record.destination.value],
    ['Ihar Losik', 'BY', 'released', { text: '15 years in a penal colony' }, '2025-06-21', { country: 'LT', place: 'Vilnius' }],
  )
  for (const [field, quoteField] of [
    ['name', 'nameQuote'],
    ['nationality', 'nationalityQuote'],
    ['status', 'statusQuote'],
    ['sentence', 'sentenceQuote'],
    ['releaseDate', 'releaseDateQuote'],
    ['destination', 'destinationQuote'],
  ]) {
    const [citation] = record[field].citations
    const start = ARTICLE.indexOf(form[quoteField])
    t.match(citation, { sourceId, quote: form[quoteField], start, end: start + form[quoteField].length }, `${field} cited and located`)
  }

  const urlencoded = await app.editor.post('/v1/prisoners').type('form').send({ sourceId, name: 'Ihar Losik', nameQuote: 'Ihar Losik', status: '', statusQuote: '' })
  t.equal(urlencoded.status, 201, 'urlencoded too; empty values skip their field')
  t.equal(urlencoded.body.status.value, null)
})

t.test('the usual mistakes of a form are answered in one 422 naming each form field, and nothing is saved', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await addSource(app)
  const before = (await snapshot(app.database))
  const form = {
    ...fullForm(sourceId),
    nameQuote: '', // a value without its quote
    statusQuote: 'Ihar Losik was releesed on Saturday', // a typo
    nationality: 'Belarsu',
    releaseDate: '21.06.2025',
  }
  const answer = await multipart(app.volunteer.post('/v1/prisoners'), form)
  t.equal(answer.status, 422)
  t.equal(answer.body.type, '/problems/validation-failed')
  const byField = Object.fromEntries(answer.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]))
  t.same(Object.keys(byField).sort(), ['nameQuote', 'nationality', 'releaseDate', 'statusQuote'], JSON.stringify(answer.body.errors))
  t.match(byField.nameQuote, /name has a value but no quote/)
  t.match(byField.statusQuote, /Closest passage: “Ihar Losik was released on Saturday/)
  t.match(byField.nationality, /^nationality must be .*ISO 3166-1 alpha-2.*"Belarsu" names no country.*the closest: Belarus \(BY\)/)
  t.match(byField.releaseDate, /^releaseDate must be a date as YYYY, YYYY-MM or YYYY-MM-DD: did you mean 2025-06-21\?$/)
  for (const path of Object.keys(byField)) t.match(answer.body.detail, path)

  const urlencoded = await app.volunteer.post('/v1/prisoners').type('form').send(form)
  t.same(urlencoded.body.errors, answer.body.errors, 'the same answer for a urlencoded form')

  const noSource = await app.volunteer.post('/v1/prisoners').type('form').send({ name: 'Ihar Losik', nameQuote: 'Ihar Losik', sentenceQuote: 'penal colony' })
  t.equal(noSource.status, 422)
  t.same(noSource.body.errors.map((e: { path: string }) => e.path).sort(), ['sentenceQuote', 'sourceId'], 'one sourceId problem; a quote without its value')

  const unknownSource = await app.volunteer.post('/v1/prisoners').type('form').send({ ...fullForm('0190a0a0-0000-7000-8000-000000000000') })
  t.equal(unknownSource.status, 422)
  t.same(unknownSource.body.errors.map((e: { path: string }) => e.path), ['sourceId'])

  const place = await app.volunteer.post('/v1/prisoners').type('form').send({ sourceId, destinationPlace: 'Vilnius', destinationQuote: 'Vilnius' })
  t.match(place.body.errors, [{ path: 'destinationCountry', message: /^destinationCountry must/ }])

  t.same((await snapshot(app.database)), before, 'the database is unchanged')
})

t.test('a change proposed through the form; dry runs of forms save nothing', async (t) => {
  const app = await buildTestApp(t)
  const etag = (await app.http.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const form = { sourceId: SEED.articleA, status: 'released', statusQuote: 'thirteen other political prisoners were freed', comment: 'Cite article A.' }

  const before = (await snapshot(app.database))
  const dry = await multipart(app.volunteer.patch(`/v1/prisoners/${SEED.karnei}?dryRun=true`).set('if-match', etag), form)
  t.same([dry.status, dry.headers['dry-run'], dry.headers.location, dry.body.saved], [200, 'true', undefined, false])
  const dryCreate = await multipart(app.volunteer.post('/v1/prisoners?dryRun=true'), fullForm(SEED.articleA))
  t.equal(dryCreate.status, 422, 'a dry run answers as the write would (these quotes are not in article A)')
  t.same((await snapshot(app.database)), before, 'nothing saved')

  const proposed = await multipart(app.volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag), form)
  t.equal(proposed.status, 202, JSON.stringify(proposed.body))
  t.match(proposed.headers.location, /^\/v1\/proposals\//)
  t.match(proposed.body.fields.status.preferred, { value: 'released', citations: [{ sourceId: SEED.articleA, quote: form.statusQuote }] })
  t.equal(proposed.body.comment, 'Cite article A.')

  const stale = await app.volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', `"${'A'.repeat(27)}"`).type('form').send(form)
  t.equal(stale.status, 412, 'If-Match is checked for forms too')
  const empty = await app.volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).type('form').send({ sourceId: SEED.articleA, comment: 'nothing' })
  t.equal(empty.status, 422, 'a change naming no field')

  const changed = await app.editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).type('form').send(form)
  t.equal(changed.status, 200, "an editor's form change applies at once")
})

/** What Swagger UI fills a form field with before anyone types: its example, else its default, else a sample of its type. */
function prefilled(property: { example?: unknown; examples?: unknown[]; default?: unknown; enum?: unknown[]; type?: string }): unknown {
  if (property.example !== undefined) return property.example
  if (property.examples?.length) return property.examples[0]
  if (property.default !== undefined) return property.default
  if (property.enum?.length) return property.enum[0]
  return property.type === 'string' ? 'string' : undefined
}

t.test('the change form starts empty, and a change through it changes only the fields typed', async (t) => {
  const app = await buildTestApp(t)
  const spec = (await app.http.get('/docs/json')).body
  const patch = spec.paths['/v1/prisoners/{id}'].patch.requestBody.content
  for (const type of ['multipart/form-data', 'application/x-www-form-urlencoded']) {
    const name = patch[type].schema.$ref.split('/').pop()
    const properties = spec.components.schemas[name].properties as Record<string, Parameters<typeof prefilled>[0]>
    const filled = Object.entries(properties).filter(([, property]) => prefilled(property) !== '').map(([field]) => field)
    t.same(filled, [], `${type}: no field of the change form is prefilled`)
  }
  const create = spec.paths['/v1/prisoners'].post.requestBody.content['multipart/form-data'].schema.$ref.split('/').pop()
  t.equal(spec.components.schemas[create].properties.name.example, 'Siarhei Tsikhanouski', 'the form that adds a record keeps its example record')

  const read = await app.http.get(`/v1/prisoners/${SEED.karnei}`)
  const form = { sourceId: SEED.articleA, comment: 'Cite article A for the release.', status: 'released', statusQuote: 'thirteen other political prisoners were freed' }
  const changed = await multipart(app.editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag), form)
  t.equal(changed.status, 200, JSON.stringify(changed.body))
  t.match(changed.body.status, { value: 'released', citations: [{ sourceId: SEED.articleA, quote: form.statusQuote }] })
  const { status: _before, version: _v, updatedAt: _u, ...untouchedBefore } = read.body
  const { status: _after, version: _v2, updatedAt: _u2, warnings: _w, ...untouchedAfter } = changed.body
  t.same(untouchedAfter, untouchedBefore, 'every field left empty is as it was')
  const [revision] = (await app.http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.same([Object.keys(revision.changes), revision.comment], [['status'], form.comment], 'the history names the one field changed')
})
