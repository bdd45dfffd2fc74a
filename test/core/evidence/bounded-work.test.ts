import t, { type Test } from 'tap'
import { findPassages } from '../../../src/core/evidence/passages'
import { SEARCH_BUDGET, searchWorkDone, turnsGiven } from '../../../src/core/evidence/work-budget'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

// Invariant 10 (docs/design.md §2): the search work of a request on archived texts is bounded before it starts,
// whatever the source and the quotes. Work is counted (characters a search steps over), never timed.

/** Words from a fixed list, drawn the same way on every run. */
function randomWords(characters: number, seed: number): string {
  const words = ['prisoners', 'freed', 'Minsk', 'journalist', 'court', 'sentenced', 'the', 'of', 'and', 'was', 'Vilnius', 'border', 'years', 'colony']
  let state = seed
  let text = ''
  while (text.length < characters) {
    state = (state * 1103515245 + 12345) % 2147483648
    text += words[state % words.length] + ' '
  }
  return text.slice(0, characters).trim()
}

// A million characters, the longest text a source may have: sentences of the same words, one paragraph a line.
const LONG_TEXT = Array.from({ length: 10_000 }, (_, i) => `${randomWords(100, i + 1)}.${i % 5 === 4 ? '\n' : ' '}`).join('').slice(0, 1_000_000)

async function setUp(t: Test) {
  const app = await buildTestApp(t)
  const created = await app.editor.post('/v1/sources').send({ title: 'A long report', kind: 'ngo', content: LONG_TEXT })
  t.equal(created.body.contentLength, 1_000_000, 'a source of a million characters')
  return { ...app, source: created.body.id as string }
}

t.test('a quote of 1.9 MB is refused as too long, without any search for it', async (t) => {
  const { editor, source } = await setUp(t)
  for (const dryRun of ['', '?dryRun=true']) {
    const before = searchWorkDone()
    const res = await editor.post(`/v1/prisoners${dryRun}`).send({ name: { value: 'Ihar Karnei', citations: [{ sourceId: source, quote: randomWords(1_900_000, 7) }] } })
    t.equal(res.status, 422)
    t.same(
      res.body.errors.map((e: { path: string }) => e.path),
      ['/name/citations/0/quote'],
      'only its length is answered: it is not searched for, nor its closest passage',
    )
    t.match(res.body.errors[0].message, /shorter than or equal to 5000 characters/)
    t.equal(searchWorkDone() - before, 0, 'no work was done on it')
  }
})

t.test('quotes of random words against a million characters: bounded work, each quote answered, and the bound said', async (t) => {
  const { editor, http, source, database } = await setUp(t)
  const before = await snapshot(database)
  const wrong = (seed: number, start = '') => Array.from({ length: 20 }, (_, i) => ({ sourceId: source, quote: start + randomWords(4_990, seed + i) }))
  let work = searchWorkDone()
  const twenty = await editor.post('/v1/prisoners').send({ name: { value: 'Ihar Karnei', citations: wrong(1000) } })
  let spent = searchWorkDone() - work
  t.equal(twenty.status, 422)
  t.equal(twenty.body.type, '/problems/quote-not-found')
  t.equal(twenty.body.errors.length, 20, 'every citation is answered')
  t.ok(spent <= SEARCH_BUDGET, `the request did ${spent} units of search work, at most its budget of ${SEARCH_BUDGET}`)
  t.ok(
    twenty.body.errors.every((e: { message: string }) => /Closest passage: “|nor anything close to it/.test(e.message)),
    'twenty quotes missing from a million characters each get their closest passage',
  )

  // Sixty, each with a slip at its start, so that its closest passage needs a search of its own from its end.
  work = searchWorkDone()
  const sixty = await editor.post('/v1/prisoners?dryRun=true').send({
    name: {
      value: 'Ihar Karnei',
      citations: wrong(2000, 'Zzz '),
      alternatives: [
        { value: 'Igor Kornei', citations: wrong(3000, 'Zzz ') },
        { value: 'Ihar Karnej', citations: wrong(4000, 'Zzz ') },
      ],
    },
  })
  spent = searchWorkDone() - work
  t.ok(spent <= SEARCH_BUDGET, `sixty: ${spent} units, within the budget too`)
  t.equal(sixty.body.errors.length, 60, 'every citation is answered')
  t.match(sixty.body.errors.at(-1), { path: '/name/alternatives/1/citations/19', message: /was not checked: .*send these citations in a request of their own/ }, 'the last were not searched for, and it says so')
  t.ok(
    sixty.body.errors.some((e: { message: string }) => /the closest passage was not looked for, as this request has done all the searching one request may/.test(e.message)),
    'some were searched for, but not their closest passage, and it says so',
  )
  t.same(await snapshot(database), before)
  t.equal((await http.get('/health')).status, 200)
})

t.test('quotes all found but needing more search than one request may do: the rest is refused unchecked, with why', async (t) => {
  const { editor, source, database } = await setUp(t)
  // Twenty quotes from `from` on, 300 characters each, a little further on in each set (a quote searched for twice
  // costs once); a search for a quote found reads the text up to it.
  const quotes = (from: number, step: number, set: number) => Array.from({ length: 20 }, (_, i) => LONG_TEXT.slice(from + step * i + 1_000 * set, from + step * i + 1_000 * set + 300))
  const citations = (from: number, step: number, set: number) => quotes(from, step, set).map((quote) => ({ sourceId: source, quote }))

  const found = await editor.post('/v1/prisoners?dryRun=true').send({ name: { value: 'Ihar Karnei', citations: citations(0, 40_000, 0) } })
  t.equal(found.status, 200, 'twenty quotes in a million characters fit in one request')
  t.same(found.body.wouldBe.name.citations.map((c: { start: number }) => c.start), quotes(0, 40_000, 0).map((_, i) => 40_000 * i), 'each located')

  const before = await snapshot(database)
  const work = searchWorkDone()
  const tooMuch = await editor.post('/v1/prisoners').send({
    name: {
      value: 'Ihar Karnei',
      citations: citations(850_000, 7_000, 0),
      alternatives: [1, 2, 3].map((set) => ({ value: `Ihar Karnei ${set}`, citations: citations(850_000, 7_000, set) })),
    },
  })
  t.ok(searchWorkDone() - work <= SEARCH_BUDGET)
  t.equal(tooMuch.status, 413)
  t.equal(tooMuch.body.type, '/problems/payload-too-large')
  t.match(tooMuch.body.errors.at(-1), { path: '/name/alternatives/2/citations/19', message: /was not checked: .*send these citations in a request of their own/ })
  t.same(await snapshot(database), before)
})

t.test('the passage finder: bounded in a million characters, the same sentences as before', async (t) => {
  const { http, editor, source } = await setUp(t)
  let work = searchWorkDone()
  const none = await http.get(`/v1/sources/${source}/passages`).query({ text: 'zebra' })
  t.equal(none.status, 200)
  t.same(none.body.data, [])
  t.ok(searchWorkDone() - work <= SEARCH_BUDGET)

  // Every letter and digit, each in every sentence, and a word in none: looking for all of them is refused, not
  // searched for seconds.
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789абвгдежзиклмнопрстуфхцчшщэюяαβγδεζηθικλμνξοπρστυφχψω'
  const text = Array.from({ length: 5_000 }, () => [...letters].join(' ') + '.').join(' ')
  const everywhere = await editor.post('/v1/sources').send({ title: 'Letters', kind: 'other', content: text })
  work = searchWorkDone()
  const refused = await http.get(`/v1/sources/${everywhere.body.id}/passages`).query({ text: [...letters].join(' ') + ' zebra' })
  t.ok(searchWorkDone() - work <= SEARCH_BUDGET)
  t.equal(refused.status, 400)
  t.match(refused.body.errors, [{ path: 'text', message: /\d+ words are more than can be looked for in a text this long in one request; look for fewer/ }])

  // Long paragraphs are read in pieces; the sentences are those Intl.Segmenter finds in the whole text.
  const paragraph = Array.from({ length: 400 }, (_, i) => `Sentence ${i} names Karnei. Mr. Budrys spoke of it`).join(', ') + '.\n'
  const whole = (paragraph.repeat(3) + 'Karnei again.\n').slice(0, 200_000)
  const expected = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(whole)].filter(({ segment }) => /karnei/i.test(segment))
  const passages = findPassages(whole, 'karnei', 10_000)
  t.same(
    passages.map((p) => p.text),
    expected.map(({ segment }) => segment.trim()),
  )
  t.same(
    passages.map((p) => p.start),
    expected.map(({ segment, index }) => index + segment.length - segment.trimStart().length),
  )
})

t.test('while a write checks many quotes against a million characters, other requests get their turns between its searches', async (t) => {
  const { editor, http, source } = await setUp(t)
  const citations = Array.from({ length: 20 }, (_, i) => ({ sourceId: source, quote: randomWords(4_990, 5000 + i) }))
  const turns = turnsGiven()
  const order: string[] = []
  const write = editor
    .post('/v1/prisoners')
    .send({ name: { value: 'Ihar Karnei', citations } })
    .then((res) => {
      order.push('write')
      return res
    })
  // Reads sent once the write's searches have begun are answered between them, not after the whole write.
  const started = searchWorkDone()
  while (searchWorkDone() === started) await new Promise((resolve) => setImmediate(resolve))
  // Reads of a record: /health would wait for the write on purpose (its write probe queues behind it).
  const reads = Array.from({ length: 3 }, () =>
    http.get(`/v1/prisoners/${SEED.karnei}`).then((res) => {
      order.push('read')
      return res
    }),
  )
  const [written, ...answered] = await Promise.all([write, ...reads])
  t.equal(written.status, 422)
  t.ok(answered.every((res) => res.status === 200))
  t.ok(turnsGiven() > turns, `the write gave other requests ${turnsGiven() - turns} turns of the event loop between its searches`)
  t.ok(order.indexOf('write') > 0, `reads were answered before the write finished (${order.join(', ')})`)
})
