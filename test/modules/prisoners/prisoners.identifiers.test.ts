/**
 * External identifiers (issue 26): a record's ids in other registries, a cited field like every other, found by
 * `?wikidata=` and `?identifier=`, named as `sameAs` in linked data, exported, and withheld like any value.
 */
import { parse } from 'csv-parse/sync'
import t from 'tap'
import * as jsonld from 'jsonld'
import { SEED, TestApp, buildTestApp, snapshot } from '../../helpers/test-app'

// Wikidata's sandbox item stands in for a person's own: the test says nothing true or false about anyone.
const QID = 'Q4115189'
const URL = `/v1/prisoners/${SEED.tsikhanouski}`

/** The Wikidata item's page, captured as a source: it states the id, which the citation quotes. */
async function wikidataSource(editor: TestApp['editor']): Promise<string> {
  const source = await editor
    .post('/v1/sources')
    .send({
      title: 'Wikidata item of Siarhei Tsikhanouski',
      kind: 'other',
      language: 'en',
      url: `https://www.wikidata.org/wiki/${QID}`,
      content: `Siarhei Tsikhanouski (${QID})\nBelarusian blogger and political prisoner.\nOpenSanctions: NK-3xAmpLe9.`,
    })
    .expect(201)
  return source.body.id as string
}

const IDS = [
  { scheme: 'wikidata', id: QID },
  { scheme: 'opensanctions', id: 'NK-3xAmpLe9' },
]

/** An editor's PATCH of Tsikhanouski's ids, both cited from the Wikidata source. */
async function addIdentifiers(editor: TestApp['editor'], sourceId: string) {
  const etag = (await editor.get(URL)).headers.etag
  const answer = await editor
    .patch(URL)
    .set('if-match', etag)
    .send({
      identifiers: {
        value: IDS,
        citations: [
          { sourceId, quote: `Siarhei Tsikhanouski (${QID})` },
          { sourceId, quote: 'OpenSanctions: NK-3xAmpLe9' },
        ],
      },
      comment: 'His Wikidata item and OpenSanctions entity.',
    })
  if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status}: ${answer.text}`)
  return answer
}

t.test('an editor adds ids with their citations; everyone reads them, cited, and the list finds the record by them', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const sourceId = await wikidataSource(editor)
  const before = (await http.get(URL)).body
  t.same(before.identifiers, { value: null, claimId: null, citations: [], alternatives: [] }, 'a seed record carries none')
  t.same((await http.get(`/v1/prisoners?wikidata=${QID}`)).body.data, [], 'and no list finds it by an id yet')

  await addIdentifiers(editor, sourceId)
  const record = (await http.get(URL)).body
  t.same(record.identifiers.value, IDS)
  t.same(
    record.identifiers.citations.map(({ sourceId, quote, start }: { sourceId: string; quote: string; start: number }) => [sourceId, quote, typeof start]),
    [
      [sourceId, `Siarhei Tsikhanouski (${QID})`, 'number'],
      [sourceId, 'OpenSanctions: NK-3xAmpLe9', 'number'],
    ],
    'each citation located in the source',
  )
  t.equal(record.name.value, before.name.value, 'the other fields as they were')

  const byQid = await http.get(`/v1/prisoners?wikidata=${QID}`)
  t.equal(byQid.status, 200)
  t.same(byQid.body.data.map((r: { id: string }) => r.id), [SEED.tsikhanouski])
  const byScheme = await http.get('/v1/prisoners?identifier=opensanctions:NK-3xAmpLe9')
  t.same(byScheme.body.data.map((r: { id: string }) => r.id), [SEED.tsikhanouski])
  t.same((await http.get('/v1/prisoners?wikidata=Q4115190')).body.data, [], 'another item finds nothing')
  t.same((await http.get(`/v1/prisoners?identifier=viasna:q4115189`)).body.data, [], 'the same text in another scheme finds nothing')
  t.same((await http.get(`/v1/prisoners?wikidata=${QID}&nationality=PL`)).body.data, [], 'with other filters, all must hold')
  const searched = await http.get(`/v1/prisoners?q=Tsikhanouski&wikidata=${QID}`)
  t.same(searched.body.data.map((r: { id: string }) => r.id), [SEED.tsikhanouski], 'and with a name search')

  // Replacing the list replaces what the filter finds.
  const etag = (await editor.get(URL)).headers.etag
  await editor
    .patch(URL)
    .set('if-match', etag)
    .send({ identifiers: { value: [IDS[1]], citations: [{ sourceId, quote: 'OpenSanctions: NK-3xAmpLe9' }] } })
    .expect(200)
  t.same((await http.get(`/v1/prisoners?wikidata=${QID}`)).body.data, [], 'an id taken out is no longer found')
  t.equal((await http.get('/v1/prisoners?identifier=opensanctions:NK-3xAmpLe9')).body.data.length, 1)
})

t.test('a new record with ids, and ids that are not written as their registry writes them: 422 at their path, nothing written', async (t) => {
  const { editor, database, http } = await buildTestApp(t)
  const sourceId = await wikidataSource(editor)
  const created = await editor
    .post('/v1/prisoners')
    .send({
      name: { value: 'Siarhei Tsikhanouski', citations: [{ sourceId, quote: 'Siarhei Tsikhanouski' }] },
      identifiers: { value: [{ scheme: 'wikidata', id: QID }], citations: [{ sourceId, quote: QID }] },
    })
    .expect(201)
  t.same(created.body.identifiers.value, [{ scheme: 'wikidata', id: QID }])
  const found = (await http.get(`/v1/prisoners?wikidata=${QID}`)).body.data.map((r: { id: string }) => r.id)
  t.same(found, [created.body.id], 'an editor\'s new record is public, and found by its id')

  const before = await snapshot(database)
  const wrong = await editor.post('/v1/prisoners').send({
    name: { value: 'Someone', citations: [{ sourceId, quote: 'Siarhei Tsikhanouski' }] },
    identifiers: {
      value: [
        { scheme: 'wikidata', id: 'q42' },
        { scheme: 'wikidata', id: `https://www.wikidata.org/wiki/${QID}` },
        { scheme: 'viasna', id: 'Siarhei Tsikhanouski' },
        { scheme: 'interpol', id: '42' },
      ],
      citations: [{ sourceId, quote: QID }],
    },
  })
  t.equal(wrong.status, 422)
  t.match(wrong.headers['content-type'], /^application\/problem\+json/)
  const at = (path: string) => wrong.body.errors.find((e: { path: string }) => e.path === path)?.message ?? ''
  t.match(at('/identifiers/value/0/id'), /not a wikidata id.*Q42/, 'a lower-case q, at its path')
  t.match(at('/identifiers/value/1/id'), /not a wikidata id/, 'a URL is not an id')
  t.match(at('/identifiers/value/2/id'), /not a viasna id/)
  t.match(at('/identifiers/value/3/scheme'), /scheme must be one of/, 'an unknown registry')
  t.same(await snapshot(database), before, 'nothing written')

  const twice = await editor.post('/v1/prisoners').send({
    name: { value: 'Someone', citations: [{ sourceId, quote: 'Siarhei Tsikhanouski' }] },
    identifiers: { value: [{ scheme: 'wikidata', id: QID }, { scheme: 'wikidata', id: QID }], citations: [{ sourceId, quote: QID }] },
  })
  t.equal(twice.status, 422)
  t.match(twice.body.errors, [{ path: '/identifiers/value', message: /same \{ scheme, id \} more than once/ }])

  const uncited = await editor.post('/v1/prisoners').send({ identifiers: { value: [{ scheme: 'wikidata', id: QID }], citations: [] } })
  t.equal(uncited.status, 422, 'an id needs its citation as every value does')
  t.match(uncited.body.errors, [{ path: '/identifiers/citations' }])

  const bad = await http.get('/v1/prisoners?wikidata=42')
  t.equal(bad.status, 400)
  t.match(bad.body.errors, [{ path: 'wikidata', message: /Wikidata item id such as Q42/ }])
  const badPair = await http.get('/v1/prisoners?identifier=wikidata')
  t.equal(badPair.status, 400)
  t.match(badPair.body.errors, [{ path: 'identifier', message: /scheme:id/ }])
})

t.test("linked data names the person's Wikidata item and OpenSanctions entity as sameAs, cited as a Claim", async (t) => {
  const { http, editor } = await buildTestApp(t)
  await addIdentifiers(editor, await wikidataSource(editor))
  const answer = await http.get(URL).set('accept', 'application/ld+json')
  t.equal(answer.status, 200)
  const [person] = (await jsonld.expand(JSON.parse(answer.text))) as Record<string, { '@id'?: string; '@value'?: unknown; '@type'?: string[] }[]>[]
  const same = (person['https://schema.org/sameAs'] ?? []).map((node) => node['@id']).sort()
  t.same(same, [`https://www.opensanctions.org/entities/NK-3xAmpLe9/`, `https://www.wikidata.org/entity/${QID}`])
  const claim = (person['https://schema.org/subjectOf'] ?? []).find(
    (node) => (node as unknown as Record<string, { '@value': string }[]>)['https://schema.org/name']?.[0]['@value'] === 'identifiers',
  ) as unknown as Record<string, { '@value'?: string }[]>
  t.ok(claim, 'the ids are a Claim')
  t.equal(claim['https://schema.org/citation'].length, 2, 'with their two citations')
})

t.test('exports: ndjson as served, CSV columns identifiers and identifiers_citations', async (t) => {
  const { http, editor } = await buildTestApp(t)
  await addIdentifiers(editor, await wikidataSource(editor))
  const record = await http.get(URL)
  const ndjson = (await http.get('/v1/export?format=ndjson').buffer(true)).text
  t.ok(ndjson.split('\n').includes(record.text), 'the ndjson line is the record as served, ids included')

  const csv = (await http.get('/v1/export?format=csv').buffer(true)).text
  const rows = parse(csv, { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[]
  const row = rows.find((r) => r.id === SEED.tsikhanouski)!
  t.equal(row.identifiers, `wikidata:${QID} | opensanctions:NK-3xAmpLe9`)
  t.match(row.identifiers_citations, new RegExp(`^${record.body.identifiers.citations[0].sourceId}\\[\\d+:\\d+\\] "Siarhei Tsikhanouski \\(${QID}\\)" \\| `))
  t.equal(rows.find((r) => r.id === SEED.karnei)!.identifiers, '', 'a record without ids: an empty cell')
})

t.test('withheld ids reach no anonymous answer: record, list filter, linked data, exports', async (t) => {
  const { http, editor } = await buildTestApp(t)
  await addIdentifiers(editor, await wikidataSource(editor))
  const etag = (await editor.get(URL)).headers.etag
  await editor.post(`${URL}/fields/identifiers/withhold?dryRun=false`).set('if-match', etag).send({ reason: 'safety', comment: 'Asked.' }).expect(200)

  const anonymous = await http.get(URL)
  t.equal(anonymous.body.identifiers.value, null)
  t.same(anonymous.body.identifiers.citations, [])
  t.equal(anonymous.body.identifiers.withheld.reason, 'safety')
  for (const [what, path] of [
    ['the record', URL],
    ['the list', '/v1/prisoners'],
    ['the ndjson export', '/v1/export?format=ndjson'],
    ['the csv export', '/v1/export?format=csv'],
  ]) {
    t.notMatch((await http.get(path).buffer(true)).text, /Q4115189|NK-3xAmpLe9/, `${what}: no id`)
  }
  t.notMatch((await http.get(URL).set('accept', 'application/ld+json')).text, /Q4115189|NK-3xAmpLe9|sameAs/, 'linked data: no sameAs')
  t.same((await http.get(`/v1/prisoners?wikidata=${QID}`)).body.data, [], 'the filter finds no withheld id')
  t.same((await http.get('/v1/prisoners?identifier=opensanctions:NK-3xAmpLe9')).body.data, [])
  t.same((await editor.get(URL)).body.identifiers.value, IDS, 'editors still read them')
})

t.test("a volunteer's form: ids as scheme:id with their quote, checked as JSON is, and a dry run", async (t) => {
  const { editor, volunteer, http } = await buildTestApp(t)
  const sourceId = await wikidataSource(editor)
  const form = { sourceId, name: 'Siarhei Tsikhanouski', nameQuote: 'Siarhei Tsikhanouski', identifiers: `wikidata:${QID}`, identifiersQuote: QID }
  const dry = await volunteer.post('/v1/prisoners?dryRun=true').type('form').send(form)
  t.equal(dry.status, 200, dry.text)
  t.equal(dry.headers['dry-run'], 'true')
  t.same(dry.body.wouldBe.identifiers.value, [{ scheme: 'wikidata', id: QID }], 'the dry run shows the record as it would be')
  const wrong = await volunteer.post('/v1/prisoners').type('form').send({ ...form, identifiers: 'wikidata:42', identifiersQuote: 'not in the source' })
  t.equal(wrong.status, 422)
  t.match(wrong.body.errors, [{ path: 'identifiers', message: /not a wikidata id/ }])
  t.ok(wrong.body.errors.some((e: { path: string }) => e.path === 'identifiersQuote'), 'the quote that is not in its source, at its form field')
  const saved = await volunteer.post('/v1/prisoners?dryRun=false').type('form').send(form)
  t.equal(saved.status, 201, saved.text)
  t.same(saved.body.identifiers.value, [{ scheme: 'wikidata', id: QID }])
  t.equal(saved.body.identifiers.citations[0].quote, QID)
  t.same((await http.get(`/v1/prisoners?wikidata=${QID}`)).body.data, [], 'a submission waiting for review is found by no one')
})
