/**
 * Records and events as schema.org linked data (Accept: application/ld+json, export format=jsonld), read as a
 * knowledge graph reads them: expanded by a JSON-LD processor from the npm registry, then walked triple by triple.
 */
import t from 'tap'
import * as jsonld from 'jsonld'
import { SEED, buildTestApp } from '../../helpers/test-app'

const S = 'https://schema.org/'
type Expanded = Record<string, { '@id'?: string; '@value'?: unknown; '@type'?: string[] }[] | string | string[]>

/** Objects of a predicate in an expanded node: the nested nodes or the literal values. */
const objects = (node: Expanded, property: string) => (node[`${S}${property}`] ?? []) as (Expanded & { '@value'?: unknown })[]
const literal = (node: Expanded, property: string) => objects(node, property).map((o) => o['@value'])
const isA = (node: Expanded, type: string) => ((node['@type'] ?? []) as string[]).includes(`${S}${type}`)

const LD = 'application/ld+json'

t.test("Tsikhanouski's record expands to a Person whose nationality BY is cited, quote and source included", async (t) => {
  const { http } = await buildTestApp(t)
  const url = `/v1/prisoners/${SEED.tsikhanouski}`
  const answer = await http.get(url).set('accept', LD).set('host', 'registry.example')
  t.equal(answer.status, 200)
  t.match(answer.headers['content-type'], /^application\/ld\+json/)
  t.match(answer.headers.vary, /Accept/, 'caches keep JSON and JSON-LD apart')
  const json = await http.get(url)
  t.match(json.headers['content-type'], /^application\/json/, 'plain JSON stays the default')
  t.not(answer.headers.etag, json.headers.etag, 'each representation has its own ETag')

  const [person] = (await jsonld.expand(JSON.parse(answer.text))) as Expanded[]
  t.ok(isA(person, 'Person'))
  t.equal(person['@id'], `http://registry.example${url}`)
  t.same(literal(person, 'name'), ['Siarhei Tsikhanouski'])
  const [nationality] = objects(person, 'nationality')
  t.ok(isA(nationality, 'Country'))
  t.same(literal(nationality, 'identifier'), ['BY'])
  t.same(literal(nationality, 'name'), ['Belarus'])
  const citations = objects(nationality, 'citation')
  t.ok(citations.length >= 1, 'the nationality has its citation')
  t.ok(isA(citations[0], 'CreativeWork'))
  t.same(literal(citations[0], 'text'), [json.body.nationality.citations[0].quote], 'the quote, as the JSON record gives it')
  const [source] = objects(citations[0], 'isPartOf')
  t.match(literal(source, 'name')[0], /article B/, "the source's title")
  t.equal(source['@id'], `http://registry.example/v1/sources/${json.body.nationality.citations[0].sourceId}`)

  const release = objects(person, 'subjectOf').find((node) => isA(node, 'Event'))!
  t.same(literal(release, 'startDate'), ['2025-06-21'], 'the release is an Event with its date')
  t.ok(objects(release, 'citation').length >= 1, 'cited')
  t.same(literal(objects(objects(release, 'location')[0], 'containedInPlace')[0], 'identifier'), ['LT'])
  const claims = objects(person, 'subjectOf').filter((node) => isA(node, 'Claim'))
  t.same(claims.map((claim) => literal(claim, 'name')[0]).sort(), ['arrestDate', 'destination', 'name', 'nationality', 'releaseDate', 'sentence', 'status'], 'each cited value a Claim (arrestDate from article A among them)')
})

t.test('linked data is the public record: no withheld value, no private source, whatever the key', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const url = `/v1/prisoners/${SEED.tsikhanouski}`
  const letter = await editor
    .post('/v1/sources')
    .send({ title: 'A private letter from Minsk', kind: 'other', language: 'en', private: true, content: 'He holds a Belarusian passport.' })
    .expect(201)
  let etag = (await editor.get(url)).headers.etag
  const nationality = (await editor.get(url)).body.nationality
  await editor
    .patch(url)
    .set('if-match', etag)
    .send({ nationality: { value: 'BY', citations: [...nationality.citations.map(({ sourceId, quote }: { sourceId: string; quote: string }) => ({ sourceId, quote })), { sourceId: letter.body.id, quote: 'Belarusian passport' }] } })
    .expect(200)
  etag = (await editor.get(url)).headers.etag
  await editor.post(`${url}/fields/name/withhold?dryRun=false`).set('if-match', etag).send({ reason: 'family-request', comment: 'Asked.' }).expect(200)

  for (const [who, agent] of [['anonymous', http], ['an editor', editor]] as const) {
    const text = (await agent.get(url).set('accept', LD)).text
    t.notMatch(text, /Tsikhanouski/, `${who}: the withheld name is nowhere, not in a quote or a source's title`)
    t.notMatch(text, new RegExp(`${letter.body.id}|private letter|passport`), `${who}: nothing of the private source`)
    const [person] = (await jsonld.expand(JSON.parse(text))) as Expanded[]
    t.same(literal(person, 'name'), [], `${who}: no name`)
    t.equal(objects(objects(person, 'nationality')[0], 'citation').length, nationality.citations.length, `${who}: the public citations of the nationality only`)
  }
})

t.test('the JSON-LD exports and an event as linked data', async (t) => {
  const { http } = await buildTestApp(t)
  const whole = (url: string) =>
    http.get(url).buffer(true).parse((res, done) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => done(null, text))
    })
  const records = await whole('/v1/export?format=jsonld')
  t.equal(records.status, 200)
  t.match(records.headers['content-type'], /^application\/ld\+json/)
  t.match(records.headers['content-disposition'], /prisoners-\d{4}-\d{2}-\d{2}\.jsonld/)
  const graph = (await jsonld.expand(JSON.parse(records.body as string))) as Expanded[]
  const people = graph.filter((node) => isA(node, 'Person'))
  t.equal(people.length, 14, 'the 14 seeded records, each a Person')
  t.ok(people.some((person) => literal(person, 'name')[0] === 'Siarhei Tsikhanouski'))

  const event = await http.get(`/v1/events/${SEED.release}`).set('accept', LD)
  const [release] = (await jsonld.expand(JSON.parse(event.text))) as Expanded[]
  t.ok(isA(release, 'Event'))
  t.same(literal(release, 'startDate'), ['2025-06-21'])
  t.equal(objects(release, 'attendee').length, (await http.get(`/v1/events/${SEED.release}`)).body.participants.length, 'its participants as attendees')
  t.ok(objects(release, 'subjectOf').every((claim) => objects(claim, 'citation').length > 0), 'each cited value with its citations')

  // The events' export is one document too (its graph was once closed twice: not JSON at all).
  const events = await whole('/v1/export/events?format=jsonld')
  t.equal(events.status, 200)
  const eventGraph = (await jsonld.expand(JSON.parse(events.body as string))) as Expanded[]
  t.equal(eventGraph.filter((node) => isA(node, 'Event')).length, 1, 'the seeded release, an Event')
})
