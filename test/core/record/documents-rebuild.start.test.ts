import t from 'tap'
import { KeysService } from '../../../src/core/access/api-keys'
import { rebuildDocuments } from '../../../src/core/record/documents-rebuild'
import { Database } from '../../../src/db/database'
import { seed } from '../../../src/seed/seed'
import { SEED } from '../../helpers/test-app'
import { buildServer, startServer, stopAll } from '../../helpers/server-process'
import { freshDatabase } from '../../helpers/test-database'

/**
 * The rebuild of stored documents as a start runs it (server.ts): two instances started together on a database
 * whose documents are of an older shape; one rebuilds them under the migrations' lock, the other finds them
 * current, and both serve what the claims say.
 */
t.before(() => buildServer())
t.teardown(stopAll)

t.test('instances started on documents of an older shape rebuild them once and serve them rebuilt', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const database = await Database.open(fresh.location)
  await seed(database)
  await rebuildDocuments(database)
  const editorKey = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
  await database.transaction(async (manager) => {
    // A sentence with a null sub-value, as main at ad57866 stored it, in the claim and in the document.
    const [claim] = await manager.query(database.sql("SELECT value FROM claims WHERE prisoner_id = ? AND field = 'sentence' AND rank = 'preferred'"), [SEED.tsikhanouski])
    const nulled = JSON.stringify({ ...JSON.parse(claim.value), sentencedIn: null })
    await manager.query(database.sql("UPDATE claims SET value = ? WHERE prisoner_id = ? AND field = 'sentence' AND rank = 'preferred'"), [nulled, SEED.tsikhanouski])
    const [row] = await manager.query(database.sql('SELECT document FROM prisoners WHERE id = ?'), [SEED.tsikhanouski])
    const document = JSON.parse(row.document)
    document.sentence.value.sentencedIn = null
    await manager.query(database.sql('UPDATE prisoners SET document = ?, editor_document = NULL WHERE id = ?'), [JSON.stringify(document), SEED.tsikhanouski])
    await manager.query(database.sql("UPDATE derived_versions SET version = 0 WHERE name = 'record-documents'"))
  })
  await database.close()

  const [a, b] = await Promise.all([startServer(fresh.location, { logs: true }), startServer(fresh.location, { logs: true })])
  for (const server of [a, b]) {
    const record = await fetch(`${server.base}/v1/prisoners/${SEED.tsikhanouski}`)
    t.equal(record.status, 200)
    const body = (await record.json()) as { sentence: { value: Record<string, unknown> } }
    t.notOk('sentencedIn' in body.sentence.value, 'served rebuilt: no null the contract does not have')
    t.equal((await fetch(`${server.base}/v1/review`, { headers: { authorization: `Bearer ${editorKey}` } })).status, 200, 'the review queue is readable')
  }
  const rebuilt = [a, b].filter((server) => /stored documents rebuilt: 1 of \d+ records changed \(shape 0 → 1\)/.test(server.output()))
  t.equal(rebuilt.length, 1, 'one instance rebuilt them; the other found them current')
})
