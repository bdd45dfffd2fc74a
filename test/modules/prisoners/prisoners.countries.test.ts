import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

/**
 * A country is given in a form by its name in any language of the registry, or by its code, in any case: Swagger UI
 * offers "Belarus (BY)", so that typing "Belarus" in its list finds Belarus, not BE (Belgium). Stored and served
 * as the code. JSON writes keep taking codes, and a refusal there says which code a name stands for.
 */

const ARTICLE = 'The Belarusian journalist Ihar Losik was released on Saturday and taken to Vilnius, Lithuania.'

async function sourceOf(app: Awaited<ReturnType<typeof buildTestApp>>): Promise<string> {
  const source = await app.volunteer.post('/v1/sources').type('form').send({ title: 'Losik freed', kind: 'news', content: ARTICLE })
  if (source.status !== 201) throw new Error(JSON.stringify(source.body))
  return source.body.id
}

const formOf = (sourceId: string, nationality: string, destinationCountry: string) => ({
  sourceId,
  name: 'Ihar Losik',
  nameQuote: 'Ihar Losik',
  nationality,
  nationalityQuote: 'The Belarusian journalist',
  destinationCountry,
  destinationQuote: 'taken to Vilnius, Lithuania',
})

t.test('a form takes a country by its name in en, be, ru, pl or lt, or by its code, in any case and without diacritics', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await sourceOf(app)
  for (const [nationality, destination] of [
    ['Belarus (BY)', 'Lithuania (LT)'],
    ['Belarus', 'Lithuania'],
    ['Беларусь', 'Літва'],
    ['Białoruś', 'Litwa'],
    ['bialorus', 'lietuva'],
    ['BALTARUSIJA', 'Литва'],
    ['by', 'lt'],
    ['BY — Belarus', 'LT'],
  ]) {
    const created = await app.volunteer.post('/v1/prisoners').type('form').send(formOf(sourceId, nationality, destination))
    t.equal(created.status, 201, `${nationality}, ${destination}: ${JSON.stringify(created.body)}`)
    t.same([created.body.nationality?.value, created.body.destination?.value?.country], ['BY', 'LT'], `${nationality}, ${destination}`)
  }
})

t.test('a name that is no country is a 422 naming the form field, with the closest names; nothing is saved', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await sourceOf(app)
  const before = await snapshot(app.database)
  const answer = await app.volunteer.post('/v1/prisoners').type('form').send(formOf(sourceId, 'Belarsu', 'BY (Lithuania)'))
  t.equal(answer.status, 422)
  const byField = Object.fromEntries(answer.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]))
  t.same(Object.keys(byField).sort(), ['destinationCountry', 'nationality'], JSON.stringify(answer.body.errors))
  t.match(byField.nationality, /^nationality must be .*"Belarsu" names no country.*the closest: Belarus \(BY\)/)
  t.match(byField.destinationCountry, /^destinationCountry must be .*"BY \(Lithuania\)" names no country/, 'a name and a code that disagree')
  t.same(await snapshot(app.database), before)
})

t.test('JSON takes codes only, and a refusal of a name says its code', async (t) => {
  const app = await buildTestApp(t)
  const cite = (quote: string) => [{ sourceId: SEED.articleA, quote }]
  const answer = await app.volunteer.post('/v1/prisoners').send({
    name: { value: 'Ihar Losik', citations: cite('Ihar Karnei') },
    nationality: { value: 'Belarus', citations: cite('Ihar Karnei') },
    destination: { value: { country: 'lt' }, citations: cite('Ihar Karnei') },
  })
  t.equal(answer.status, 422)
  t.match(answer.body.errors, [
    { path: '/nationality/value', message: /^value must be an ISO 3166-1 alpha-2 code such as BY: "Belarus" is BY$/ },
    { path: '/destination/value/country', message: /^country must be an ISO 3166-1 alpha-2 code such as LT: "lt" is LT$/ },
  ])
})

t.test("the form's list of countries reads name first, so that typing a name in Swagger UI's list finds it", async (t) => {
  const app = await buildTestApp(t)
  const spec = (await app.http.get('/docs/json')).body
  const form = spec.components.schemas.PrisonerFormDto.properties
  for (const field of ['nationality', 'destinationCountry']) {
    const choices: string[] = form[field].enum
    t.ok(choices.includes('Belarus (BY)') && choices.includes('Belgium (BE)'), field)
    t.equal(choices.find((choice) => choice.toLowerCase().startsWith('belarus')), 'Belarus (BY)', `${field}: "Belarus" finds Belarus`)
    t.ok(choices.includes(form[field].example), `${field}: its example is one of the choices`)
  }
})
