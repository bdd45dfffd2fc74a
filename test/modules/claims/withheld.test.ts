import t from 'tap'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'

/**
 * Withheld values and private sources (docs/design.md §2, invariant 8; §3). An editor adds a record whose name is
 * cited from a source of its own, then withholds the name: after that no read path of anyone but an editor holds
 * the name or its words, and a search for it answers exactly as for a name that is not in the registry.
 */

const NAME = 'Sviatlana Kavalenka'
const NAME_QUOTE = 'Sviatlana Kavalenka, a teacher from Hrodna'
const ARTICLE =
  'Sviatlana Kavalenka, a teacher from Hrodna, was detained on 3 March 2025 after a search of her flat. ' +
  'Her family says she is held in Hrodna remand prison. Kavalenka is a Belarusian citizen.'

/** Anonymous, or with a key: either kind of reader. */
type Http = TestApp['http'] | TestApp['volunteer']

/** Everything a read path answered, as one text to search for the name and its words. */
async function readText(agent: Http, path: string): Promise<{ status: number; text: string }> {
  const response = await agent.get(path)
  return { status: response.status, text: response.text }
}

/** Every page of a paged list, as text. */
async function allPages(agent: Http, path: string, cursorParam: 'cursor' | 'since', nextOf: (body: { next: string | null; hasMore?: boolean }) => string | null) {
  let text = ''
  for (let next: string | null = null, pages = 0; pages < 50; pages++) {
    const response = await agent.get(next ? `${path}${path.includes('?') ? '&' : '?'}${cursorParam}=${encodeURIComponent(next)}` : path)
    text += response.text
    next = nextOf(response.body)
    if (!next) break
  }
  return text
}

t.test('a withheld name reaches no one but editors, on any read path, and search does not find it', async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const source = await editor
    .post('/v1/sources')
    .send({ title: 'Teacher detained in Hrodna', publisher: 'Hrodna News', kind: 'news', language: 'en', content: ARTICLE })
  t.equal(source.status, 201)
  const sourceId = source.body.id as string
  const created = await editor.post('/v1/prisoners').send({
    name: { value: NAME, citations: [{ sourceId, quote: NAME_QUOTE }] },
    // The other fields' quotes name her too, as articles do: they must not show the name once it is withheld.
    status: { value: 'detained', citations: [{ sourceId, quote: 'Sviatlana Kavalenka, a teacher from Hrodna, was detained' }] },
    nationality: { value: 'BY', citations: [{ sourceId, quote: 'Kavalenka is a Belarusian citizen' }] },
  })
  t.equal(created.status, 201)
  const id = created.body.id as string
  const nameCitation = created.body.name.citations[0].id as string
  const statusCitation = created.body.status.citations[0].id as string
  t.equal((await http.get('/v1/prisoners').query({ q: 'Kavalenka' })).body.data.length, 1, 'found before it is withheld')

  // Only editors withhold, with If-Match and a reason from the list.
  const withhold = { reason: 'family-request', comment: 'Her family asked that her name not be published.' }
  t.equal((await volunteer.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', created.headers.etag).send(withhold)).status, 403)
  t.equal((await http.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', created.headers.etag).send(withhold)).status, 401)
  t.equal((await editor.post(`/v1/prisoners/${id}/fields/name/withhold`).send(withhold)).status, 428)
  const badReason = await editor.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', created.headers.etag).send({ ...withhold, reason: 'whim' })
  t.equal(badReason.status, 422)
  t.match(badReason.body.errors, [{ path: '/reason' }])
  const noComment = await editor.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', created.headers.etag).send({ reason: 'safety' })
  t.equal(noComment.status, 422, 'a withholding says why, in the history')
  const dry = await editor.post(`/v1/prisoners/${id}/fields/name/withhold?dryRun=true`).set('if-match', created.headers.etag).send(withhold)
  t.equal(dry.status, 200)
  t.equal((await http.get(`/v1/prisoners/${id}`)).body.name.value, NAME, 'a dry run withholds nothing')

  const withheld = await editor.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', created.headers.etag).send(withhold)
  t.equal(withheld.status, 200)
  t.equal(withheld.body.name.value, NAME, 'the editor still reads the value')
  t.match(withheld.body.name.withheld, { reason: 'family-request', since: String })
  t.equal((await editor.post(`/v1/prisoners/${id}/fields/name/withhold`).set('if-match', withheld.headers.etag).send(withhold)).status, 409)

  const publicRecord = await http.get(`/v1/prisoners/${id}`)
  t.same(publicRecord.body.name, { value: null, claimId: null, citations: [], alternatives: [], withheld: withheld.body.name.withheld })
  t.equal(publicRecord.body.status.value, 'detained', 'the other fields stay public')
  t.equal(publicRecord.body.status.citations[0].quote, '[withheld], a teacher from Hrodna, was detained', 'their quotes without the withheld words')
  t.equal(publicRecord.body.nationality.citations[0].quote, '[withheld] is a Belarusian citizen')
  t.equal(publicRecord.body.status.citations[0].start, null, 'and without offsets: sliced out of the public text, they would give the words back')
  t.not(publicRecord.headers.etag, withheld.headers.etag, "the public ETag is not the editor's (a hash of the name)")

  for (const [who, agent] of [
    ['anonymous', http],
    ['a volunteer', volunteer],
  ] as const) {
    const reads: [string, string][] = []
    const add = async (path: string) => reads.push([path, (await readText(agent, path)).text])
    await add(`/v1/prisoners/${id}`)
    reads.push(['/v1/prisoners (every page)', await allPages(agent, '/v1/prisoners?limit=5', 'cursor', (b) => b.next)])
    await add(`/v1/prisoners?sort=-createdAt&limit=200`)
    await add(`/v1/prisoners/${id}/history`)
    await add(`/v1/prisoners/${id}/fields/name`)
    await add(`/v1/citations/${statusCitation}`)
    await add(`/v1/sources/${sourceId}/citations`)
    // A page's cursor names where the next page starts: an offset in it would be a masked quote's start.
    const cursors: unknown[] = []
    reads.push([`/v1/sources/${sourceId}/citations (pages of one)`, await allPages(agent, `/v1/sources/${sourceId}/citations?limit=1`, 'cursor', (b) => (cursors.push(b.next), b.next))])
    t.ok(cursors.length >= 2, `${who}: more than one page read`)
    const positions = cursors.filter((next) => next !== null).map((next) => JSON.parse(Buffer.from(next as string, 'base64url').toString()) as unknown[])
    t.ok(positions.every((position) => position.every((part) => typeof part === 'string')), `${who}: cursors hold no offset: ${JSON.stringify(positions)}`)
    await add('/v1/export?format=ndjson')
    await add('/v1/export?format=csv')
    reads.push(['/v1/changes (every page)', await allPages(agent, '/v1/changes?limit=7', 'since', (b) => (b.hasMore ? b.next : null))])
    if (agent === volunteer) await add('/v1/audit/verify')
    for (const [path, text] of reads) {
      t.notOk(/Kavalenka|Sviatlana/.test(text), `${who}: ${path} holds neither the name nor its words`)
    }

    const trace = await agent.get(`/v1/citations/${nameCitation}`)
    t.equal(trace.status, 404, `${who}: the name's citation does not exist for them`)
    const claims = await agent.get(`/v1/prisoners/${id}/fields/name`)
    t.same(claims.body, { field: 'name', claims: [], withheld: withheld.body.name.withheld }, `${who}: no claims, only the withholding`)

    // A search for the withheld name answers exactly as one for a name nobody holds.
    for (const q of [NAME, 'Kavalenka', 'Коваленко', 'Kavalenka Sviatlana']) {
      const found = await agent.get('/v1/prisoners').query({ q })
      const nobody = await agent.get('/v1/prisoners').query({ q: 'Zmitsier Nobodyevich' })
      t.same([found.status, found.body], [nobody.status, nobody.body], `${who}: q=${q} finds nothing`)
    }
  }

  // The history says it was withheld, and why, to everyone.
  const history = (await http.get(`/v1/prisoners/${id}/history`)).body.data
  t.match(history[0], { action: 'withhold', comment: withhold.comment, changes: { name: { after: { value: null, withheld: { reason: 'family-request' } } } } })
  t.same(history[1].changes.name.after.value, null, 'the creation no longer shows the name either')

  // Editors read it all.
  t.equal((await editor.get(`/v1/prisoners/${id}`)).body.name.value, NAME)
  t.equal((await editor.get(`/v1/citations/${nameCitation}`)).body.quote, NAME_QUOTE)
  t.equal((await editor.get(`/v1/prisoners/${id}/fields/name`)).body.claims[0].value, NAME)
  t.equal((await editor.get(`/v1/prisoners/${id}/history`)).body.data[1].changes.name.after.value, NAME)
  t.ok((await editor.get(`/v1/sources/${sourceId}/citations`)).text.includes(NAME_QUOTE))
  t.equal((await editor.get(`/v1/prisoners/${id}`)).body.status.citations[0].quote, 'Sviatlana Kavalenka, a teacher from Hrodna, was detained')

  // A new value given to a withheld field stays withheld.
  const editorRead = await editor.get(`/v1/prisoners/${id}`)
  const renamed = await editor
    .patch(`/v1/prisoners/${id}`)
    .set('if-match', editorRead.headers.etag)
    .send({ name: { value: 'Sviatlana Kavalenka-Ivanova', citations: [{ sourceId, quote: 'Sviatlana Kavalenka' }] } })
  t.equal(renamed.status, 200)
  t.ok(renamed.body.name.withheld, 'still withheld after a change')
  t.same((await http.get(`/v1/prisoners/${id}`)).body.name.value, null)
  t.same((await http.get('/v1/prisoners').query({ q: 'Ivanova' })).body.data, [])

  // Disclosed: public again, and found again.
  const disclosed = await editor
    .post(`/v1/prisoners/${id}/fields/name/disclose`)
    .set('if-match', renamed.headers.etag)
    .send({ comment: 'The family agreed to publication.' })
  t.equal(disclosed.status, 200)
  t.equal(disclosed.body.name.withheld, undefined)
  t.equal((await http.get(`/v1/prisoners/${id}`)).body.name.value, 'Sviatlana Kavalenka-Ivanova')
  t.equal((await http.get('/v1/prisoners').query({ q: 'Kavalenka' })).body.data[0].id, id, 'found again once disclosed')
  t.equal(disclosed.headers.etag, (await http.get(`/v1/prisoners/${id}`)).headers.etag, 'one document again: one ETag')
  t.equal((await editor.post(`/v1/prisoners/${id}/fields/name/disclose`).set('if-match', disclosed.headers.etag).send({ comment: 'again' })).status, 409)
})

t.test('a withheld nationality is matched by no filter; an unknown field cannot be withheld', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const read = await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  t.equal(read.body.nationality.value, 'BY')
  const before = (await http.get('/v1/prisoners?nationality=BY&limit=200')).body.data.map((r: { id: string }) => r.id)
  t.ok(before.includes(SEED.tsikhanouski))
  const withheld = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/withhold`)
    .set('if-match', read.headers.etag)
    .send({ reason: 'safety', comment: 'Withheld while relatives remain in the country.' })
  t.equal(withheld.status, 200)
  const after = (await http.get('/v1/prisoners?nationality=BY&limit=200')).body.data.map((r: { id: string }) => r.id)
  t.notOk(after.includes(SEED.tsikhanouski), 'the filter does not reveal the withheld value')
  t.same(after, before.filter((id: string) => id !== SEED.tsikhanouski))

  const unnamed = (await http.get('/v1/prisoners?limit=200')).body.data.find((r: { name: { value: unknown } }) => r.name.value === null && !('withheld' in r.name))
  const unnamedRead = await editor.get(`/v1/prisoners/${unnamed.id}`)
  const nothing = await editor
    .post(`/v1/prisoners/${unnamed.id}/fields/name/withhold`)
    .set('if-match', unnamedRead.headers.etag)
    .send({ reason: 'safety', comment: 'x' })
  t.equal(nothing.status, 409)
  t.match(nothing.body.detail, /no value to withhold/)
})

t.test('a private source: editors read it; everyone else sees only that a private source supports a value', async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const letter = {
    title: 'Letter from the family of Siarhei Tsikhanouski',
    kind: 'other',
    content: 'We, his family, confirm that Siarhei holds Belarusian citizenship and lives at 12 Hidden Street.',
    private: true,
  }
  const refused = await volunteer.post('/v1/sources').send(letter)
  t.equal(refused.status, 403, 'a volunteer may not add a private source')
  t.match(refused.body.errors, [{ path: '/private' }])
  const refusedForm = await volunteer.post('/v1/sources').type('form').send({ ...letter, private: 'true' })
  t.equal(refusedForm.status, 403)

  const source = await editor.post('/v1/sources').send(letter)
  t.equal(source.status, 201)
  t.equal(source.body.private, true)
  const sourceId = source.body.id as string

  const read = await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const quote = 'Siarhei holds Belarusian citizenship'
  const cited = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/claims`)
    .set('if-match', read.headers.etag)
    .send({ value: 'BY', citations: [{ sourceId, quote }], reason: 'The family confirms it.' })
  t.equal(cited.status, 201)
  const citation = cited.body.nationality.alternatives.at(-1).citations[0]
  t.match(citation, { sourceId, quote, private: true }, 'editors read the citation whole')

  for (const [who, agent] of [
    ['anonymous', http],
    ['a volunteer', volunteer],
  ] as const) {
    for (const path of [`/v1/sources/${sourceId}`, `/v1/sources/${sourceId}/content`, `/v1/sources/${sourceId}/passages?text=citizenship`, `/v1/sources/${sourceId}/citations`, `/v1/citations/${citation.id}`]) {
      t.equal((await agent.get(path)).status, 404, `${who}: ${path} does not exist`)
    }
    t.notOk((await agent.get('/v1/sources?limit=200')).text.includes(sourceId), `${who}: not in the list of sources`)
    const record = await agent.get(`/v1/prisoners/${SEED.tsikhanouski}`)
    t.same(record.body.nationality.alternatives.at(-1).citations, [{ id: citation.id, sourceId: null, quote: null, start: null, end: null, private: true }])
    for (const path of [
      `/v1/prisoners/${SEED.tsikhanouski}`,
      `/v1/prisoners/${SEED.tsikhanouski}/history`,
      `/v1/prisoners/${SEED.tsikhanouski}/fields/nationality`,
      '/v1/export?format=ndjson',
      '/v1/export?format=csv',
      '/v1/changes?limit=200',
      '/v1/prisoners?q=Tsikhanouski',
    ]) {
      const { text } = await readText(agent, path)
      t.notOk(text.includes('Hidden Street') || text.includes(quote) || text.includes(sourceId), `${who}: ${path} holds neither the words nor the source`)
    }
    t.match((await agent.get('/v1/export?format=csv')).text, /private source/)

    // Whether a quote is in a private source is an answer about its words: for a volunteer it does not exist.
    const probe = await volunteer.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId, quote }] } })
    t.equal(probe.status, 422)
    t.equal(probe.body.type, '/problems/unknown-source')
  }
  t.equal((await editor.get(`/v1/sources/${sourceId}/content`)).text, letter.content)
  t.ok((await editor.get('/v1/sources?limit=200')).text.includes(sourceId))
  t.equal((await editor.get(`/v1/citations/${citation.id}`)).body.quote, quote)
})

t.test("the volunteer who submitted a record reads it without what an editor withheld; the CSV says it is withheld", async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const submitted = await volunteer.post('/v1/prisoners').send({
    name: { value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei' }] },
    status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'freed' }] },
  })
  t.equal(submitted.status, 201)
  const id = submitted.body.id as string
  const pending = await editor.get(`/v1/prisoners/${id}`)
  const withheld = await editor
    .post(`/v1/prisoners/${id}/fields/name/withhold`)
    .set('if-match', pending.headers.etag)
    .send({ reason: 'legal', comment: 'Withheld on counsel’s advice.' })
  t.equal(withheld.status, 200)
  const own = await volunteer.get(`/v1/prisoners/${id}`)
  t.equal(own.status, 200, 'the author still follows the submission')
  t.same(own.body.name, { value: null, claimId: null, citations: [], alternatives: [], withheld: withheld.body.name.withheld })
  t.notOk((await volunteer.get(`/v1/prisoners/${id}/history`)).text.includes('Karnei'), "the author's history no longer holds it either")
  t.notOk((await volunteer.get('/v1/submissions')).text.includes('Ihar Karnei'))

  const approved = await editor.post(`/v1/prisoners/${id}/review`).set('if-match', withheld.headers.etag).send({ decision: 'approve' })
  t.equal(approved.status, 200)
  const csv = (await http.get('/v1/export?format=csv')).text
  const row = csv.split('\r\n').find((line) => line.startsWith(id))!
  t.match(row, /withheld: legal since \d{4}-/, 'the name_citations cell says the name is withheld, and why')
  t.notOk(row.includes('Karnei'), 'and the row holds nothing of it')
})
