import { createHash, randomUUID } from 'node:crypto'
import supertest from 'supertest'
import t from 'tap'
import { KeysService } from '../../../src/core/access/api-keys'
import { registeredRoutes } from '../../helpers/routes'
import { SEED, buildTestApp } from '../../helpers/test-app'

/**
 * docs/design.md §2, invariant 8, over every GET route the app registers (read from its routing table, so a route
 * added later is covered without editing this test) × every identity (anonymous, the volunteer who submitted a
 * pending record, another volunteer, an editor), on a registry where an editor withheld Ihar Karnei's name and
 * redacted its words in the sources' public texts, a record cites a private source, and a record waits for review.
 * No answer to anyone but an editor holds the withheld words, the private text, or what leads to them: offsets
 * into a source's text that slice to them, the SHA-256 of a text whose public rendition leaves them out, the ids of
 * the withheld citations or of the private source; and the pending record only reaches its submitter and editors.
 */

/** Karnei's name, as the two articles spell it, and its words. */
const WITHHELD = /ihar|karne[iy]/i
const PRIVATE_QUOTE = 'held in cell 14 of Zhodzina prison'
const PRIVATE = /zhodzina/i

type Who = 'anonymous' | 'submitter' | 'otherVolunteer' | 'editor'
const WHO: Who[] = ['anonymous', 'submitter', 'otherVolunteer', 'editor']

/** Code points, the unit of offsets. */
const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join('')

/** Every object in a JSON answer that points into a source's text: its source (or the route's) and its offsets. */
function offsetsIn(value: unknown, routeSource: string | null, found: { sourceId: string; start: number; end: number }[] = []) {
  if (Array.isArray(value)) for (const item of value) offsetsIn(item, routeSource, found)
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>
    const sourceId = typeof object.sourceId === 'string' ? object.sourceId : routeSource
    if (sourceId && Number.isInteger(object.start) && Number.isInteger(object.end)) found.push({ sourceId, start: object.start as number, end: object.end as number })
    for (const child of Object.values(object)) offsetsIn(child, routeSource, found)
  }
  return found
}

/** A supertest parser that keeps any body as its text. */
function asText(res: supertest.Response, done: (error: Error | null, body: unknown) => void) {
  const stream = res as unknown as NodeJS.ReadableStream
  let text = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => (text += chunk))
  stream.on('end', () => done(null, text))
}

// Some 1,300 requests: more than the default time on a loaded PostgreSQL.
t.setTimeout(600_000)

t.test('no GET route lets anyone but an editor read a withheld value, a private source or a pending record', async (t) => {
  const { app, database, http, editor, volunteer, keys } = await buildTestApp(t)
  const other = (await new KeysService(database).create('Otto Other', 'volunteer', 'test')).key

  // An event quoting his name as its evidence, written before the name is withheld and its words redacted.
  const quoting = await editor.post('/v1/events').send({
    kind: { value: 'release', citations: [{ sourceId: SEED.articleB, quote: 'Among them was Ihar Karnei, a former journalist for Radio Free Europe/Radio Liberty' }] },
    comment: 'An event whose evidence names him.',
  })
  t.equal(quoting.status, 201)

  // An editor withholds Karnei's name; the answer says where its words stay in public texts, and the editor redacts them.
  const before = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  const withheldCitations = [before.body.name, ...before.body.name.alternatives].flatMap((claim: { citations: { id: string }[] }) => claim.citations.map((c) => c.id))
  t.ok(withheldCitations.length > 0)
  const withheld = await editor
    .post(`/v1/prisoners/${SEED.karnei}/fields/name/withhold`)
    .set('if-match', before.headers.etag)
    .send({ reason: 'safety', comment: 'Publishing it would endanger his family.' })
  t.equal(withheld.status, 200)
  const occurrences = withheld.body.withheldWordsIn as { sourceId: string; start: number; end: number; text: string; redacted: boolean }[]
  t.ok(occurrences.some((o) => o.sourceId === SEED.articleA) && occurrences.some((o) => o.sourceId === SEED.articleB), 'the words stay in both articles')
  for (const { sourceId, start, end, text } of occurrences) {
    t.match(text, WITHHELD)
    const redacted = await editor.post(`/v1/sources/${sourceId}/redactions`).send({ start, end, reason: 'safety', comment: 'His name, withheld on his record.' })
    t.equal(redacted.status, 201)
  }

  // A record citing a private source (a family's letter), and a volunteer's record waiting for review.
  const letter = await editor.post('/v1/sources').send({ title: 'A letter from a family', kind: 'other', private: true, content: `The family writes that she is ${PRIVATE_QUOTE}.` })
  t.equal(letter.status, 201)
  const privateRecord = await editor.post('/v1/prisoners').send({ status: { value: 'detained', citations: [{ sourceId: letter.body.id, quote: PRIVATE_QUOTE }] } })
  t.equal(privateRecord.status, 201)
  const story = await volunteer.post('/v1/sources').send({ title: 'Detained in Brest', kind: 'news', content: 'Zmitser Pendzik was detained in Brest.' })
  const pending = await volunteer.post('/v1/prisoners').send({ name: { value: 'Zmitser Pendzik', citations: [{ sourceId: story.body.id, quote: 'Zmitser Pendzik' }] } })
  t.equal(pending.status, 201)
  const pendingCitation = pending.body.name.citations[0].id as string

  // What editors read, to tell what leads to the hidden words.
  const originals = new Map<string, string>()
  for (const sourceId of [SEED.articleA, SEED.articleB, SEED.rbc, letter.body.id, story.body.id]) {
    const content = await editor.get(`/v1/sources/${sourceId}/content`)
    if (content.status === 200) originals.set(sourceId, content.text)
  }
  t.match(originals.get(SEED.articleB), /Karnei/, 'editors read the archived text whole')
  const hashes = [SEED.articleA, SEED.articleB].flatMap((id) => {
    const hex = createHash('sha256').update(originals.get(id)!, 'utf8').digest('hex')
    return [hex, Buffer.from(hex, 'hex').toString('base64')]
  })
  const records = (await editor.get('/v1/prisoners?limit=200')).body.data.map((record: { id: string }) => record.id) as string[]
  const bySource = [SEED.articleA, SEED.articleB].map((id) => editor.get(`/v1/sources/${id}/citations?limit=500`))
  const overlapping = (await Promise.all(bySource)).flatMap((page) => page.body.data).filter((c: { quote: string }) => WITHHELD.test(c.quote))
  t.ok(overlapping.length > 0, "other records' citations quote the withheld words")

  // The texts as everyone but editors read them: offsets in any answer must not slice the hidden words out of them.
  const publicTexts = new Map<string, string>()
  for (const sourceId of originals.keys()) {
    const content = await http.get(`/v1/sources/${sourceId}/content`)
    if (content.status === 200) publicTexts.set(sourceId, content.text)
  }
  for (const { id } of overlapping.filter((c: { recordId: string }) => c.recordId !== SEED.karnei)) {
    const trace = await http.get(`/v1/citations/${id}`)
    t.match(trace.body, { start: null, end: null, context: null }, "another record's citation of the redacted words has no offsets")
    t.match(trace.body.quote, /█/, 'and its quote shows where the words were redacted')
  }

  /** What each path parameter is filled with: every id of the kind the route's path names. */
  const fills = (url: string, param: string): string[] => {
    if (param === 'id' && url.startsWith('/v1/prisoners/')) return [...records, privateRecord.body.id, pending.body.id]
    if (param === 'id' && url.startsWith('/v1/sources/')) return [...originals.keys()]
    if (param === 'id' && url.startsWith('/v1/events/proposals/')) return [randomUUID()]
    if (param === 'id' && url.startsWith('/v1/events/')) return [SEED.release, quoting.body.id]
    if (param === 'id' && url.startsWith('/v1/citations/')) return [...withheldCitations, pendingCitation, ...overlapping.map((c: { id: string }) => c.id)]
    if (param === 'field') return url.startsWith('/v1/events/') ? ['kind'] : ['name', 'status', 'nationality']
    if (param === 'slug') return ['not-found']
    if (param === 'file') return ['registry-person.js']
    return [randomUUID()]
  }
  /** Query variants of routes that answer differently with one (export formats, a passage search). */
  const QUERIES: Record<string, string[]> = {
    '/v1/export': ['?format=csv', '?format=ndjson', '?format=jsonld'],
    '/v1/export/events': ['?format=csv', '?format=ndjson', '?format=jsonld'],
    '/v1/sources/:id/passages': ['?text=former%20journalist', '?text=these%20include'],
  }
  const paths: { route: string; path: string; sourceId: string | null }[] = []
  for (const { url } of registeredRoutes(app, ['GET'])) {
    let expanded = [url.replace(/\*$/, 'index.html')]
    for (const param of url.match(/:\w+/g) ?? []) {
      expanded = expanded.flatMap((path) => fills(url, param.slice(1)).map((value) => path.replace(param, value)))
    }
    for (const path of expanded) {
      const sourceId = url.startsWith('/v1/sources/:id') ? path.split('/')[3] : null
      for (const query of QUERIES[url] ?? ['']) paths.push({ route: url, path: path + query, sourceId })
    }
  }
  t.ok(paths.length > 100, `${paths.length} paths`)

  const keyOf: Record<Who, string | null> = { anonymous: null, submitter: keys.volunteer, otherVolunteer: other, editor: keys.editor }
  const editorRead: string[] = []
  for (const who of WHO) {
    const failures: string[] = []
    for (const { route, path, sourceId } of paths) {
      // Editors' answers are only searched for what they must still read: one variant is enough.
      for (const accept of who === 'editor' ? ['application/json'] : ['application/json', 'application/ld+json']) {
        // Read as text, whatever the type: a body that is not valid JSON is still searched.
        const request = supertest(app.server).get(path).set('accept', accept).buffer(true).parse(asText)
        const response = await (keyOf[who] ? request.set('authorization', `Bearer ${keyOf[who]}`) : request)
        response.text = response.body as string
        const where = `${who} GET ${path} (${accept}) ${response.status}`
        if (response.status >= 500) failures.push(`${where}: a server error`)
        // A 404 repeats the id asked for: an id the caller sent is not one the answer gave away.
        const asked = path.match(/[0-9a-f]{8}-[0-9a-f-]{27}/g) ?? []
        const answer = asked.reduce((text, id) => text.split(id).join(''), `${JSON.stringify(response.headers)}\n${response.text}`)
        if (who === 'editor') {
          editorRead.push(answer)
          continue
        }
        if (WITHHELD.test(answer)) failures.push(`${where}: holds the withheld words`)
        if (PRIVATE.test(answer) || answer.includes(letter.body.id)) failures.push(`${where}: leads to the private source`)
        if (withheldCitations.some((id) => answer.includes(id))) failures.push(`${where}: names a withheld citation`)
        if (hashes.some((hash) => answer.includes(hash))) failures.push(`${where}: holds the SHA-256 of a text whose public rendition is redacted`)
        if (who !== 'submitter' && (answer.includes(pending.body.id) || answer.includes(pendingCitation))) failures.push(`${where}: shows the pending record`)
        let body: unknown = null
        try {
          body = JSON.parse(response.text)
        } catch {
          // Not JSON (a text, CSV, Atom, a script): the checks on its text above are all there is.
        }
        for (const at of offsetsIn(body, sourceId)) {
          const text = publicTexts.get(at.sourceId)
          if (text && WITHHELD.test(slice(text, at.start, at.end))) failures.push(`${where}: offsets ${at.start}-${at.end} of ${at.sourceId} slice to the withheld words (${route})`)
        }
      }
    }
    t.same(failures, [], `${who}: nothing hidden in any answer`)
  }
  const editorAnswers = editorRead.join('\n')
  t.match(editorAnswers, /Ihar Karnei/, 'editors still read the withheld name')
  t.match(editorAnswers, PRIVATE, 'and the private source')
  t.ok(editorAnswers.includes(pending.body.id), 'and the pending record')

  // The public text shows where something was redacted, with the length kept, so other offsets still hold.
  const publicText = (await http.get(`/v1/sources/${SEED.articleB}/content`)).text
  t.equal([...publicText].length, [...originals.get(SEED.articleB)!].length)
  t.match(publicText, /was █{11}, a former journalist/, 'a marked redaction where the name was')
})
