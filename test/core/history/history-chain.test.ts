import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { chainUnchained } from '../../../src/core/history/chain'
import { entryContent, HistoryKind, RevisionRow, revisionParts, revisionsSelect } from '../../../src/core/history/entries'
import { contentHash, entryHash } from '../../../src/core/history/hashing'
import { Database } from '../../../src/db/database'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'

/**
 * docs/design.md §10, issue 27: every revision is chained in the transaction that writes it; an auditor who kept a
 * checkpoint finds, with scripts/verify-history.mjs and no server, the position of each tampering made directly in
 * the database (a value edited, a revision deleted, two swapped, the chain rewritten from a point on), and a
 * withheld value's words appear in no public checkpoint, proof or export.
 */

const SCRIPT = path.resolve(__dirname, '../../../scripts/verify-history.mjs')

/** Runs the auditor's script on an export and a kept checkpoint, as files: its exit status and what it printed. */
function verify(t: Test, exportText: string, checkpoint?: unknown): { status: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'history-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(path.join(dir, 'export.ndjson'), exportText)
  const args = [SCRIPT, path.join(dir, 'export.ndjson')]
  if (checkpoint) {
    writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(checkpoint))
    args.push('--checkpoint', path.join(dir, 'checkpoint.json'))
  }
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' })
  return { status: run.status, out: run.stdout + run.stderr }
}

/** A new record cited from a new source: one more revision, so one more entry. */
async function addRecord({ editor }: TestApp, n: number): Promise<void> {
  const source = await editor.post('/v1/sources').send({ title: `Detained in Hrodna ${n}`, kind: 'news', content: `Person ${n} was detained in Hrodna.` })
  const record = await editor.post('/v1/prisoners').send({ status: { value: 'detained', citations: [{ sourceId: source.body.id, quote: `Person ${n} was detained` }] } })
  if (record.status !== 201) throw new Error(`record not made: ${JSON.stringify(record.body)}`)
}

const exportOf = async ({ http }: TestApp) => (await http.get('/v1/history/export').buffer(true)).text

/** Raw SQL in a transaction of its own: what whoever holds the database can do behind the API's back. */
const tamper = (database: Database, sql: string, params: unknown[] = []) => database.transaction((manager) => manager.query(database.sql(sql), params))

const refAt = async (database: Database, position: number) =>
  (await database.get<{ kind: HistoryKind; ref: string }>('SELECT kind, ref FROM history_chain WHERE position = ?', [position]))!

/** A registry of the seed and three more records, with a signed checkpoint after each; the last kept by the auditor. */
async function audited(t: Test) {
  const app = await buildTestApp(t)
  const checkpoints = []
  for (const n of [1, 2, 3]) {
    await addRecord(app, n)
    const made = await app.editor.post('/v1/history/checkpoints')
    t.equal(made.status, 201)
    checkpoints.push(made.body)
  }
  const kept = checkpoints[2]
  const before = verify(t, await exportOf(app), kept)
  t.equal(before.status, 0, before.out)
  t.match(before.out, /verified: \d+ entries/)
  return { ...app, kept, size: kept.size as number }
}

t.test('every revision is chained as it is written; a fresh export verifies against a checkpoint', async (t) => {
  const app = await buildTestApp(t)
  const { http, editor, volunteer, database } = app
  const revisions = await database.get<{ n: number }>('SELECT (SELECT COUNT(*) FROM revisions) + (SELECT COUNT(*) FROM event_revisions) AS n')
  const now = await http.get('/v1/history/checkpoints')
  t.equal(now.status, 200)
  t.equal(now.body.size, Number(revisions!.n), "the seed's revisions, records' and event's, are all chained")
  t.equal(now.body.latest, null, 'no checkpoint before one is asked for')
  t.equal((await volunteer.post('/v1/history/checkpoints')).status, 403, 'volunteers do not sign checkpoints')
  t.equal((await http.post('/v1/history/checkpoints')).status, 401)
  const made = await editor.post('/v1/history/checkpoints')
  t.equal(made.status, 201)
  t.match(made.body, { size: now.body.size, head: now.body.head, signature: String })
  const key = await http.get('/v1/history/public-key')
  t.match(key.body, { algorithm: 'Ed25519', keyId: made.body.keyId, publicKey: /BEGIN PUBLIC KEY/ })
  t.same((await http.get('/v1/history/checkpoints')).body.latest, made.body, 'the latest checkpoint is served')

  await addRecord(app, 1)
  const result = verify(t, await exportOf(app), made.body)
  t.equal(result.status, 0, result.out)
  t.match(result.out, new RegExp(`verified: ${made.body.size + 1} entries`))

  // Proofs: folded, the hashes lead from the entry (or the earlier checkpoint) to the later head.
  const { createHash } = await import('node:crypto')
  const fold = (start: string, hashes: string[]) => hashes.reduce((h, c) => createHash('sha256').update(Buffer.concat([Buffer.from(h, 'hex'), Buffer.from(c, 'hex')])).digest('hex'), start)
  const inclusion = await http.get(`/v1/history/proofs/inclusion?position=3&size=${made.body.size}`)
  t.equal(inclusion.status, 200)
  t.equal(fold(inclusion.body.previous, inclusion.body.contentHashes), made.body.head, 'the inclusion proof leads to the signed head')
  const consistency = await http.get(`/v1/history/proofs/consistency?from=${made.body.size}`)
  t.equal(consistency.body.fromHead, made.body.head)
  t.equal(fold(consistency.body.fromHead, consistency.body.contentHashes), consistency.body.toHead, 'the later chain extends the signed one')
  t.equal((await http.get('/v1/history/proofs/inclusion?position=0')).status, 400)
  t.equal((await http.get('/v1/history/proofs/inclusion?position=1&size=99999')).status, 404)
  t.equal((await http.get('/v1/history/proofs/consistency?from=5&to=2')).status, 400)
})

t.test('a revision whose value was edited in the database is reported by its position', async (t) => {
  const app = await audited(t)
  const position = 5
  const { ref } = await refAt(app.database, position)
  await tamper(app.database, "UPDATE revisions SET diff = REPLACE(diff, 'released', 'detained') WHERE id = ?", [Number(ref)])
  const result = verify(t, await exportOf(app), app.kept)
  t.equal(result.status, 1)
  t.match(result.out, `position ${position}: edited`)
  t.equal(result.out.match(/edited/g)?.length, 1, 'and no other position')
})

t.test('a deleted revision is reported by its position', async (t) => {
  const app = await audited(t)
  const position = 7
  const { ref } = await refAt(app.database, position)
  await tamper(app.database, 'DELETE FROM revisions WHERE id = ?', [Number(ref)])
  const result = verify(t, await exportOf(app), app.kept)
  t.equal(result.status, 1)
  t.match(result.out, `position ${position}: deleted`)
})

t.test('two swapped revisions are reported by their positions', async (t) => {
  const app = await audited(t)
  const [a, b] = [await refAt(app.database, 4), await refAt(app.database, 9)]
  const diffOf = async (ref: string) => (await app.database.get<{ diff: string }>('SELECT diff FROM revisions WHERE id = ?', [Number(ref)]))!.diff
  const [diffA, diffB] = [await diffOf(a.ref), await diffOf(b.ref)]
  await tamper(app.database, 'UPDATE revisions SET diff = ? WHERE id = ?', [diffB, Number(a.ref)])
  await tamper(app.database, 'UPDATE revisions SET diff = ? WHERE id = ?', [diffA, Number(b.ref)])
  const result = verify(t, await exportOf(app), app.kept)
  t.equal(result.status, 1)
  t.match(result.out, 'position 4: edited')
  t.match(result.out, 'position 9: edited')
})

t.test('a chain rewritten from a point on, consistently, is reported by position against the checkpoints', async (t) => {
  const app = await audited(t)
  const { database, size } = app
  // The entry before the last checkpoint is changed, and every hash from it on made again, as a forger would.
  const position = size - 1
  const { ref } = await refAt(database, position)
  await tamper(database, "UPDATE revisions SET comment = 'rewritten' WHERE id = ?", [Number(ref)])
  await database.transaction(async (manager) => {
    const rows = (await manager.query(database.sql('SELECT position, kind, ref, salt FROM history_chain WHERE position >= ? ORDER BY position'), [position])) as {
      position: number
      kind: HistoryKind
      ref: string
      salt: string
    }[]
    let [{ entryHash: previous }] = (await manager.query(database.sql('SELECT entry_hash AS "entryHash" FROM history_chain WHERE position = ?'), [position - 1])) as { entryHash: string }[]
    for (const row of rows) {
      const [revision] = (await manager.query(database.sql(`${revisionsSelect(row.kind)} WHERE id = ?`), [Number(row.ref)])) as RevisionRow[]
      const content = contentHash(entryContent(row.kind, revision.at, revisionParts(revision), row.salt))
      previous = entryHash(previous, content)
      await manager.query(database.sql('UPDATE history_chain SET content_hash = ?, entry_hash = ? WHERE position = ?'), [content, previous, row.position])
      await manager.query(database.sql('UPDATE history_head SET head = ? WHERE id = 1'), [previous])
    }
  })
  const text = await exportOf(app)
  const alone = verify(t, text)
  t.notMatch(alone.out, /edited|deleted|broken/, 'the rewritten chain holds together by itself')
  const result = verify(t, text, app.kept)
  t.equal(result.status, 1)
  t.match(result.out, `position ${position}: rewritten`, 'the checkpoints signed before place it')
  t.match(result.out, 'your checkpoint')
})

t.test("a withheld value's words are in no public checkpoint, proof or export, and the public export still verifies", async (t) => {
  const app = await buildTestApp(t)
  const { http, editor } = app
  const WITHHELD = /ihar|karne[iy]/i
  const before = await editor.get(`/v1/prisoners/${SEED.karnei}`)
  const withheld = await editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/withhold`).set('if-match', before.headers.etag).send({ reason: 'safety', comment: 'Publishing it would endanger his family.' })
  t.equal(withheld.status, 200)
  // Where other records quote the same words, the editor redacts them from the sources' public texts, as the public view asks.
  for (const { sourceId, start, end } of withheld.body.withheldWordsIn as { sourceId: string; start: number; end: number }[]) {
    t.equal((await editor.post(`/v1/sources/${sourceId}/redactions`).send({ start, end, reason: 'safety', comment: 'His name, withheld on his record.' })).status, 201)
  }
  const checkpoint = await editor.post('/v1/history/checkpoints')
  const size = checkpoint.body.size as number
  const paths = ['/v1/history/checkpoints', '/v1/history/public-key', `/v1/history/proofs/consistency?from=0&to=${size}`]
  for (let position = 1; position <= size; position++) paths.push(`/v1/history/proofs/inclusion?position=${position}`)
  for (const path of paths) t.notMatch(JSON.stringify((await http.get(path)).body), WITHHELD, `${path}: nothing withheld`)
  const publicExport = await exportOf(app)
  t.notMatch(publicExport, WITHHELD, 'the public export holds no withheld word')
  t.match(publicExport, 'Siarhei Tsikhanouski', 'but what is public is opened')
  const result = verify(t, publicExport, checkpoint.body)
  t.equal(result.status, 0, `the public verifies the chain without the value: ${result.out}`)
  const editors = (await editor.get('/v1/history/export').buffer(true)).text
  t.match(editors, /Karne[iy]/, 'editors read the withheld value, with its salt')
  t.equal(verify(t, editors, checkpoint.body).status, 0, "and the editors' openings match the commitments")
})

t.test('revisions written before the chain existed are chained at start, oldest first', async (t) => {
  const app = await buildTestApp(t)
  const { database } = app
  const whole = await app.http.get('/v1/history/checkpoints')
  await tamper(database, 'DELETE FROM history_chain')
  await tamper(database, "UPDATE history_head SET size = 0, head = '0000000000000000000000000000000000000000000000000000000000000000' WHERE id = 1")
  t.equal(await chainUnchained(database), whole.body.size)
  t.equal(await chainUnchained(database), 0, 'a second start chains nothing')
  const times = (await database.all<{ at: string }>('SELECT at FROM history_chain ORDER BY position')).map((row) => row.at)
  t.same(times, [...times].sort(), 'in the order they were written')
  const checkpoint = await app.editor.post('/v1/history/checkpoints')
  t.equal(verify(t, await exportOf(app), checkpoint.body).status, 0)
})
