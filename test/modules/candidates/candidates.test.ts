import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { TestApp, buildTestApp } from '../../helpers/test-app'

/**
 * A statement in, candidate records out (POST /v1/sources/{id}/candidates, then …/submit): a volunteer adds a
 * statement of fifteen names as a source, reads its candidates (nothing saved), keeps fourteen, submits them, and finds
 * thirteen pending records and one proposal (the name the registry already holds in another spelling), every quote at
 * its offsets; an editor approves one as any other submission.
 */

const STATEMENT = readFileSync(join(__dirname, '../../fixtures/statements/12-fifteen-names.txt'), 'utf8')

async function statementSource(app: TestApp, content = STATEMENT): Promise<string> {
  const source = await app.volunteer.post('/v1/sources').send({ title: 'Joint statement of 2 June 2025', kind: 'ngo', content }).expect(201)
  return source.body.id as string
}

const count = async (app: TestApp, table: string) => Number((await app.database.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n)

t.test('fifteen names read, fourteen kept: thirteen pending records and one proposal, quotes at their offsets, one approved', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await statementSource(app)
  const [records, proposals] = [await count(app, 'prisoners'), await count(app, 'proposals')]

  const read = await app.volunteer.post(`/v1/sources/${sourceId}/candidates`).expect(200)
  const { candidates, unparsed, recognition } = read.body
  t.equal(candidates.length, 15, 'fifteen people')
  t.same(unparsed, [])
  t.same(recognition.value, { by: ['Viasna', 'Belarusian PEN', 'Belarusian Association of Journalists'], date: '2025-06-02' })
  t.equal(await count(app, 'prisoners'), records, 'reading saves nothing')
  t.equal(await count(app, 'proposals'), proposals)

  const codePoints = [...STATEMENT]
  for (const candidate of candidates) {
    for (const key of ['name', 'status', 'charges', 'sentence', 'recognition']) {
      const quoted = candidate[key]
      if (quoted) t.equal(codePoints.slice(quoted.start, quoted.end).join(''), quoted.quote, `${candidate.name.value}: its ${key} quoted at its offsets`)
    }
  }
  const second = candidates[1]
  t.same(second.sentence.value, { text: 'five years of imprisonment', termMonths: 60, charges: ['Article 361-1 Part 1'] })
  t.equal(second.status.value, 'detained')
  t.equal(second.action, 'create')

  // Natalla Dulina is the seed's Natallia Dulina: a proposal of what differs, not a second record.
  const dulina = candidates[0]
  t.equal(dulina.action, 'propose')
  t.equal(dulina.match.name, 'Natallia Dulina')
  t.notOk('name' in dulina.fields, 'the record keeps its spelling')
  t.ok(dulina.fields.sentence && dulina.fields.recognition, 'the values the record lacks are proposed')

  const submitted = await app.volunteer
    .post(`/v1/sources/${sourceId}/candidates/submit`)
    .send({ keep: [...Array(14).keys()], comment: 'Statement of 2 June 2025' })
  t.equal(submitted.status, 201, JSON.stringify(submitted.body))
  t.equal(submitted.body.records.length, 13)
  t.equal(submitted.body.proposals.length, 1)
  t.equal(submitted.body.proposals[0].index, 0)

  const mine = await app.volunteer.get('/v1/submissions').expect(200)
  const pending = JSON.stringify(mine.body)
  for (const { id } of submitted.body.records) t.ok(pending.includes(id), `record ${id} is among my submissions`)
  t.ok(pending.includes(submitted.body.proposals[0].id), 'and the proposal')

  // Each pending record: its values cited from the statement, the citation's offsets holding its quote.
  for (const { index, id } of submitted.body.records) {
    const record = await app.volunteer.get(`/v1/prisoners/${id}`).expect(200)
    t.equal(record.body.name.value, candidates[index].name.value)
    for (const field of ['name', 'status', 'sentence', 'recognition']) {
      for (const citation of record.body[field].citations) {
        t.equal(citation.sourceId, sourceId)
        t.equal(codePoints.slice(citation.start, citation.end).join(''), citation.quote, `${record.body.name.value}: ${field} at its offsets`)
      }
    }
  }
  t.notOk(
    (await app.http.get(`/v1/prisoners?q=${encodeURIComponent('Andrej Lukša')}`).expect(200)).body.data.length,
    'the one left out was not submitted (nor is any pending one public)',
  )

  const [first] = submitted.body.records
  const record = await app.editor.get(`/v1/prisoners/${first.id}`).expect(200)
  await app.editor.post(`/v1/prisoners/${first.id}/review`).set('if-match', record.headers.etag).send({ decision: 'approve' }).expect(200)
  const published = await app.http.get(`/v1/prisoners/${first.id}`).expect(200)
  t.equal(published.body.name.value, 'Raman Bahdanovič', 'approved, it is public')
  t.same(
    (await app.http.get('/v1/prisoners?recognizedBy=Belarusian%20PEN&recognitionDateFrom=2025-06').expect(200)).body.data.map((r: { id: string }) => r.id),
    [first.id],
    'and found by who recognised it, and when',
  )

  const proposal = await app.editor.post(`/v1/proposals/${submitted.body.proposals[0].id}/review`).send({ decision: 'approve' })
  t.equal(proposal.status, 200, JSON.stringify(proposal.body))
  const approved = await app.http.get(`/v1/prisoners/${dulina.match.prisonerId}`).expect(200)
  t.equal(approved.body.name.value, 'Natallia Dulina', 'the record keeps its name')
  t.same(approved.body.recognition.value.by, ['Viasna', 'Belarusian PEN', 'Belarusian Association of Journalists'])
})

t.test('submitting: every problem of every candidate in one 422, nothing saved; an index out of the list named', async (t) => {
  const app = await buildTestApp(t)
  const sourceId = await statementSource(app)
  const before = [await count(app, 'prisoners'), await count(app, 'proposals'), await count(app, 'revisions')]
  const outside = await app.volunteer.post(`/v1/sources/${sourceId}/candidates/submit`).send({ keep: [1, 15, 40], edits: [{ index: 2, leaveOut: ['status'] }] })
  t.equal(outside.status, 422)
  t.same(
    outside.body.errors.map((e: { path: string }) => e.path),
    ['/keep/1', '/keep/2', '/edits/0/index'],
  )
  const bad = await app.volunteer.post(`/v1/sources/${sourceId}/candidates/submit`).send({ keep: ['one'], edits: [{ index: 1, leaveOut: ['name'] }] })
  t.equal(bad.status, 422)
  t.match(JSON.stringify(bad.body.errors), /keep/)
  t.match(JSON.stringify(bad.body.errors), /leaveOut/)
  t.same([await count(app, 'prisoners'), await count(app, 'proposals'), await count(app, 'revisions')], before, 'nothing saved')

  const edited = await app.volunteer
    .post(`/v1/sources/${sourceId}/candidates/submit`)
    .send({ keep: [0, 1], edits: [{ index: 0, asNew: true }, { index: 1, leaveOut: ['sentence', 'recognition'] }] })
  t.equal(edited.status, 201, JSON.stringify(edited.body))
  t.equal(edited.body.records.length, 2, 'a match refused is a new record')
  const second = await app.volunteer.get(`/v1/prisoners/${edited.body.records[1].id}`).expect(200)
  t.equal(second.body.sentence.value, null, 'a value left out is not submitted')
  t.equal(second.body.status.value, 'detained')
})

t.test('a source without text, or not readable, is refused; what cannot be split is named in unparsed', async (t) => {
  const app = await buildTestApp(t)
  const bare = await app.volunteer.post('/v1/sources').send({ title: 'An address only', kind: 'ngo', url: 'https://example.org/statement' }).expect(201)
  const none = await app.volunteer.post(`/v1/sources/${bare.body.id}/candidates`)
  t.equal(none.status, 422)
  t.match(none.body.errors[0].path, '/id')
  t.equal((await app.volunteer.post('/v1/sources/00000000-0000-4000-8000-000000000000/candidates')).status, 404)
  t.equal((await app.volunteer.post('/v1/sources/not-a-uuid/candidates')).status, 400)
  t.equal((await app.http.post(`/v1/sources/${bare.body.id}/candidates`)).status, 401, 'a key is needed')

  const sourceId = await statementSource(
    app,
    'Viasna recognised the following persons as political prisoners on 1 July 2025:\n1. Ivan Sidarenka – sentenced to 3 years of imprisonment;\n2. Mikalai and Alena Dziadok – sentenced to 5 years of imprisonment;\n3. Klimovich – detained.',
  )
  const read = await app.volunteer.post(`/v1/sources/${sourceId}/candidates`).expect(200)
  t.same(read.body.candidates.map((c: { name: { value: string } }) => c.name.value), ['Ivan Sidarenka'])
  t.same(read.body.unparsed.map((u: { reason: string }) => u.reason), ['it names more than one person', 'one word is not a whole name'])
})
