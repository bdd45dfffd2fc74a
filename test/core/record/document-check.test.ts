import t from 'tap'
import { ProblemError } from '../../../src/errors'
import { RecordWriter, fullDocument } from '../../../src/core/record/record-writer'
import type { CheckedField } from '../../../src/core/evidence/evidence'
import { newId } from '../../../src/shared/ids'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

/**
 * Stored = served: the writer checks each document against the response schema before storing it. The DTOs now
 * refuse every such input over HTTP (prisoners.nulls.test.ts), so these writes reach the writer past them, as a
 * service, a repair or a later subject's writer could: what the contract refuses is a 422 at its path, never stored.
 */
const quote = 'In 2021, Tsikhanouski was sentenced to 18 years'
const cited = (value: unknown): CheckedField => ({
  preferred: { value, citations: [{ sourceId: SEED.articleA, quote, note: null, start: null, end: null, private: false }] },
  alternatives: [],
})
const change = { action: 'create' as const, actor: { name: 'test', key: null, role: 'editor' } }

const refused: [string, Record<string, CheckedField>, string][] = [
  ['a null termMonths', { sentence: cited({ text: '18 years', termMonths: null }) }, '/sentence/value/termMonths'],
  ['a null place', { destination: cited({ country: 'LT', place: null }) }, '/destination/value/place'],
  ['a property the contract does not have', { sentence: cited({ text: '18 years', years: 18 }) }, '/sentence/value/years'],
  ['a status outside its list', { status: cited('missing') }, '/status/value'],
  ['a nationality in lower case', { nationality: cited('by') }, '/nationality/value'],
]

t.test('a document the response schema refuses is a 422 naming its path, and nothing is stored', async (t) => {
  const { database, editor } = await buildTestApp(t)
  for (const [label, fields, path] of refused) {
    const before = await snapshot(database)
    const error = await database.transaction((manager) => new RecordWriter(manager).create(newId(), fields, 'pending', change, null)).catch((e: unknown) => e)
    t.ok(error instanceof ProblemError, `${label}: refused`)
    const problem = error as ProblemError
    t.equal(problem.statusCode, 422, `${label}: 422`)
    t.ok(problem.errors?.some((e) => e.path === path), `${label}: names ${path} (got ${JSON.stringify(problem.errors)})`)
    t.same(await snapshot(database), before, `${label}: nothing stored`)
  }
  t.equal((await editor.get('/v1/review')).status, 200, 'the review queue stays readable')
})

t.test('a change of an existing record is checked too, its public document as well as the whole one', async (t) => {
  const { database, http } = await buildTestApp(t)
  const before = await snapshot(database)
  const error = await database
    .transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.find(SEED.tsikhanouski)
      return writer.applyFields(prisoner, fullDocument(prisoner), { sentence: cited({ text: '18 years', sentencedIn: null }) }, { action: 'update', actor: { name: 'test', key: null, role: 'editor' } })
    })
    .catch((e: unknown) => e)
  t.equal((error as ProblemError).statusCode, 422)
  t.ok((error as ProblemError).errors?.some((e) => e.path === '/sentence/value/sentencedIn'))
  t.same(await snapshot(database), before, 'nothing stored')
  t.equal((await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).status, 200)
})

t.test('a document the contract accepts is stored as before', async (t) => {
  const { database, editor } = await buildTestApp(t)
  const id = newId()
  await database.transaction((manager) => new RecordWriter(manager).create(id, { sentence: cited({ text: '18 years', termMonths: 216 }) }, 'pending', change, null))
  const read = await editor.get(`/v1/prisoners/${id}`)
  t.equal(read.status, 200)
  t.equal(read.body.sentence.value.termMonths, 216)
})
