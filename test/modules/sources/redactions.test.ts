import { createHash } from 'node:crypto'
import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

/**
 * Redactions (docs/design.md §2, invariant 8): when a withheld value's words stay in a public source's text, an
 * editor leaves them out of its public rendition. Editors and the audit keep the text whole; a volunteer who quotes
 * the redacted words learns only that the passage is withheld.
 */

const digestOf = (text: string) => `sha-256=:${createHash('sha256').update(text, 'utf8').digest('base64')}:`

t.test("an editor redacts a withheld name from a source's public text; volunteers may not quote it", async (t) => {
  const { http, editor, volunteer, database } = await buildTestApp(t)
  const record = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  const withheld = await editor
    .post(`/v1/prisoners/${SEED.karnei}/fields/name/withhold`)
    .set('if-match', record.headers.etag)
    .send({ reason: 'family-request', comment: 'His family asked.' })
  t.equal(withheld.status, 200)
  const inB = withheld.body.withheldWordsIn.find((o: { sourceId: string }) => o.sourceId === SEED.articleB)
  t.match(inB, { text: 'Ihar Karnei', redacted: false }, 'the withholding answers where the words stay in public texts')

  const original = (await editor.get(`/v1/sources/${SEED.articleB}/content`)).text
  t.equal((await volunteer.post(`/v1/sources/${SEED.articleB}/redactions`).send({ ...inB, reason: 'safety', comment: 'x' })).status, 403)
  t.equal((await http.post(`/v1/sources/${SEED.articleB}/redactions`).send({ ...inB, reason: 'safety', comment: 'x' })).status, 401)

  // Bad spans are refused at their path, and nothing is written.
  const before = await snapshot(database)
  const outside = await editor.post(`/v1/sources/${SEED.articleB}/redactions`).send({ start: 10, end: 1_000_000, reason: 'safety', comment: 'x' })
  t.equal(outside.status, 422)
  t.match(outside.body.errors, [{ path: '/end' }])
  const badReason = await editor.post(`/v1/sources/${SEED.articleB}/redactions`).send({ start: 10, end: 20, reason: 'whim', comment: 'x' })
  t.equal(badReason.status, 422)
  t.match(badReason.body.errors, [{ path: '/reason' }])
  t.equal((await editor.post(`/v1/sources/${SEED.rbc}/redactions`).send({ start: 0, end: 1, reason: 'safety', comment: 'x' })).status, 404, 'a source without text')
  t.same(await snapshot(database), before)

  const redaction = await editor.post(`/v1/sources/${SEED.articleB}/redactions`).send({ start: inB.start, end: inB.end, reason: 'safety', comment: 'His name.' })
  t.equal(redaction.status, 201)
  t.match(redaction.body, { sourceId: SEED.articleB, text: 'Ihar Karnei', createdBy: 'Edgar Editor' })

  // The public rendition: the same length, the span marked, the digest that of the text served.
  const shown = await http.get(`/v1/sources/${SEED.articleB}/content`)
  t.notMatch(shown.text, /Karnei/)
  t.equal([...shown.text].length, [...original].length, 'other offsets still hold')
  t.equal(shown.headers['repr-digest'], digestOf(shown.text))
  t.not((await http.get(`/v1/sources/${SEED.articleB}`)).body.contentSha256, (await editor.get(`/v1/sources/${SEED.articleB}`)).body.contentSha256)
  const whole = await editor.get(`/v1/sources/${SEED.articleB}/content`)
  t.equal(whole.text, original, 'editors read the text whole')
  t.equal(whole.headers['repr-digest'], digestOf(original))
  t.same((await http.get(`/v1/sources/${SEED.articleB}/passages?text=former journalist`)).body.data.map((p: { text: string }) => /Karnei/.test(p.text)), [false])
  t.equal((await volunteer.get(`/v1/sources/${SEED.articleB}/redactions`)).status, 403)
  t.match((await editor.get(`/v1/sources/${SEED.articleB}/redactions`)).body.data, [{ id: redaction.body.id, text: 'Ihar Karnei' }])
  t.match((await editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/withhold?dryRun=true`).set('if-match', withheld.headers.etag).send({ reason: 'safety', comment: 'x' })).status, 409)

  // The audit still verifies every quote against the archived text.
  const audit = await editor.get('/v1/audit/verify')
  t.equal(audit.status, 200)
  t.equal(audit.body.ok, true, 'the audit passes')

  // A volunteer quoting the redacted words: 422 at the quote, saying no more than that the passage is withheld.
  const quote = 'Among them was Ihar Karnei, a former journalist'
  const cited = { status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote }] } }
  const refused = await volunteer.post('/v1/prisoners').send(cited)
  t.equal(refused.status, 422)
  t.match(refused.body.errors, [{ path: '/status/citations/0', message: /withheld/ }])
  t.notMatch(refused.text.replace('"status":422', ''), /Karnei|\d{3,}/, 'neither the words nor where they are')
  t.equal((await volunteer.post('/v1/prisoners').send({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'a former journalist' }] } })).status, 201, 'the rest of the text may be quoted')
  t.equal((await editor.post('/v1/prisoners').send(cited)).status, 201, 'editors read and quote the whole text')

  // Removed: everyone reads the span again.
  t.equal((await editor.delete(`/v1/sources/${SEED.articleB}/redactions/${redaction.body.id}`)).status, 204)
  t.equal((await http.get(`/v1/sources/${SEED.articleB}/content`)).text, original)
  t.equal((await editor.delete(`/v1/sources/${SEED.articleB}/redactions/${redaction.body.id}`)).status, 404)
})
