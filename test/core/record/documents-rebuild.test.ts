import t from 'tap'
import { DOCUMENT_SHAPE_VERSION } from '../../../src/core/record/document-schemas'
import { rebuildDocuments, rebuildStaleDocuments, storedDocumentsVersion } from '../../../src/core/record/documents-rebuild'
import type { Database } from '../../../src/db/database'
import { SEED, buildTestApp } from '../../helpers/test-app'

/**
 * Stored documents are versioned derived data (docs/design.md §2, invariant 9): on start, documents built with
 * another shape than DOCUMENT_SHAPE_VERSION are rebuilt from claims and citations (server.ts calls
 * rebuildStaleDocuments under the migrations' lock), so what is served is what the contract describes.
 */
const STORED = 'SELECT id, version, etag, document, editor_document AS "editorDocument", editor_etag AS "editorEtag", withheld FROM prisoners ORDER BY id'

/** The record as an older shape (or a bug) left it: the stored documents and the stored shape version. */
async function tamper(database: Database, id: string, change: (document: Record<string, any>) => void): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any -- a document edited by hand
  await database.transaction(async (manager) => {
    const [row] = await manager.query(database.sql('SELECT document, editor_document AS "editorDocument" FROM prisoners WHERE id = ?'), [id])
    const edited = (text: string | null) => {
      if (text === null) return null
      const document = JSON.parse(text)
      change(document)
      return JSON.stringify(document)
    }
    await manager.query(database.sql('UPDATE prisoners SET document = ?, editor_document = ? WHERE id = ?'), [edited(row.document), edited(row.editorDocument), id])
    await manager.query(database.sql('UPDATE derived_versions SET version = ? WHERE name = ?'), [DOCUMENT_SHAPE_VERSION - 1, 'record-documents'])
  })
}

t.test('rebuilding documents that are current changes nothing: every record, withholdings, re-ranked alternatives and events included', async (t) => {
  const { database, editor, http } = await buildTestApp(t)
  const read = await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const withheld = await editor.post(`/v1/prisoners/${SEED.tsikhanouski}/fields/name/withhold`).set('if-match', read.headers.etag).send({ reason: 'safety', comment: 'For the test.' })
  t.equal(withheld.status, 200)
  const karnei = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const ranked = await editor
    .post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`)
    .set('if-match', karnei.headers.etag)
    .send({ claimId: karnei.body.name.alternatives[0].claimId, rank: 'preferred', reason: 'Viasna spells it so' })
  t.equal(ranked.status, 200)

  const before = await database.all(STORED)
  t.equal(await storedDocumentsVersion(database), null, 'a database whose documents were never versioned')
  const report = await rebuildStaleDocuments(database, { prisonersPerBatch: 3 })
  t.match(report, { from: null, to: DOCUMENT_SHAPE_VERSION, prisoners: before.length, changed: 0, refused: [] })
  t.same(await database.all(STORED), before, 'the same documents, ETags and versions')
  t.equal(await storedDocumentsVersion(database), DOCUMENT_SHAPE_VERSION)
  t.equal(await rebuildStaleDocuments(database), null, 'current: nothing to do on the next start')
})

t.test('a document of an older shape is rebuilt from its claims on start, with no new version, and review stays readable', async (t) => {
  const { database, editor, volunteer, http } = await buildTestApp(t)
  await rebuildDocuments(database)
  const created = await volunteer.post('/v1/prisoners').send({
    name: { value: 'Testa Nullova', citations: [{ sourceId: SEED.articleA, quote: 'Siarhei Tsikhanouski' }] },
    sentence: { value: { text: '18 years', termMonths: 216 }, citations: [{ sourceId: SEED.articleA, quote: 'In 2021, Tsikhanouski was sentenced to 18 years' }] },
  })
  t.equal(created.status, 201)
  const id = created.body.id
  const pending = await editor.get(`/v1/prisoners/${id}`)

  // What main at ad57866 stored from a volunteer: a null sub-value in the claim and in the documents.
  await database.transaction((manager) =>
    manager.query(database.sql("UPDATE claims SET value = ? WHERE prisoner_id = ? AND field = 'sentence'"), [JSON.stringify({ text: '18 years', termMonths: null }), id]),
  )
  await tamper(database, id, (document) => (document.sentence.value = { text: '18 years', termMonths: null }))
  // And a record whose stored document no longer says what its claims say.
  await tamper(database, SEED.karnei, (document) => (document.name.value = 'Somebody Else'))
  t.equal((await editor.get('/v1/review')).status, 500, 'as served before the rebuild: the contract refuses the stored document')

  const report = await rebuildStaleDocuments(database)
  t.match(report, { from: DOCUMENT_SHAPE_VERSION - 1, to: DOCUMENT_SHAPE_VERSION, changed: 2, refused: [] })
  const queue = await editor.get('/v1/review')
  t.equal(queue.status, 200, 'GET /v1/review answers 200')
  const rebuilt = await editor.get(`/v1/prisoners/${id}`)
  t.same(rebuilt.body.sentence.value, { text: '18 years' }, 'the null sub-value is left out, as the contract has it')
  t.equal(rebuilt.body.version, pending.body.version, 'no new version')
  t.same({ ...rebuilt.body, sentence: undefined }, { ...pending.body, sentence: undefined }, 'the rest as it was')
  t.not((await http.get(`/v1/prisoners/${SEED.karnei}`)).body.name.value, 'Somebody Else', 'the name its claims give')
  t.equal(await rebuildStaleDocuments(database), null, 'done once')
})

t.test('a record whose claims make no document the contract accepts is left as it was, reported, and tried again on the next start', async (t) => {
  const { database } = await buildTestApp(t)
  await rebuildDocuments(database)
  await database.transaction((manager) => manager.query(database.sql("UPDATE claims SET value = ? WHERE prisoner_id = ? AND field = 'status' AND rank = 'preferred'"), ['"missing"', SEED.karnei]))
  await tamper(database, SEED.karnei, () => undefined)
  const before = await database.all(STORED)
  const report = await rebuildStaleDocuments(database)
  t.equal(report?.refused.length, 1)
  t.match(report?.refused[0], { id: SEED.karnei, detail: /\/status\/value/ })
  t.same(await database.all(STORED), before, 'nothing changed')
  t.equal(await storedDocumentsVersion(database), DOCUMENT_SHAPE_VERSION - 1, 'the version is not recorded: the next start tries again')
})
