import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { QuoteLocator } from '../../../src/core/evidence/quote-locator'
import { readStatement, type StatementCandidate } from '../../../src/core/statements/statement-reader'

/**
 * The statement reader (src/core/statements) over the statements written for the suite (test/fixtures/statements:
 * each a text and what a person reads in it). Every value's quote is the statement's words at its offsets, where the
 * citation check locates it; the recall and precision of names and of values over all of them are printed and held
 * above a floor, so that a change of the rules that reads fewer or wrong values fails here.
 */

const DIR = join(__dirname, '../../fixtures/statements')

interface ExpectedPerson {
  name: string
  charges?: string[]
  termMonths?: number
  stage?: string
}
interface Expected {
  layout: string
  recognition?: { by: string[]; date?: string }
  people: ExpectedPerson[]
  unparsed: string[]
}

const FIXTURES = readdirSync(DIR)
  .filter((file) => file.endsWith('.txt'))
  .sort()
  .map((file) => ({
    file,
    text: readFileSync(join(DIR, file), 'utf8'),
    expected: JSON.parse(readFileSync(join(DIR, file.replace(/\.txt$/, '.json')), 'utf8')) as Expected,
  }))

/** The values of a person, as facts that are right or wrong one by one. */
function factsOfExpected(person: ExpectedPerson, recognition: Expected['recognition']): string[] {
  return [
    ...(person.charges ?? []).map((charge) => `${person.name}|charge|${charge}`),
    ...(person.termMonths === undefined ? [] : [`${person.name}|term|${person.termMonths}`]),
    ...(person.stage === undefined ? [] : [`${person.name}|stage|${person.stage}`]),
    ...(recognition ? recognition.by.map((by) => `${person.name}|recognisedBy|${by}`) : []),
    ...(recognition?.date ? [`${person.name}|recognisedOn|${recognition.date}`] : []),
  ]
}

function factsOfCandidate(candidate: StatementCandidate): string[] {
  const name = candidate.name.value
  return [
    ...(candidate.charges?.value ?? []).map((charge) => `${name}|charge|${charge}`),
    ...(candidate.sentence?.value.termMonths === undefined ? [] : [`${name}|term|${candidate.sentence.value.termMonths}`]),
    ...(candidate.stage === undefined ? [] : [`${name}|stage|${candidate.stage}`]),
    ...(candidate.recognition ? candidate.recognition.value.by.map((by) => `${name}|recognisedBy|${by}`) : []),
    ...(candidate.recognition?.value.date ? [`${name}|recognisedOn|${candidate.recognition.value.date}`] : []),
  ]
}

const count = (found: string[], expected: string[]) => {
  const left = [...expected]
  let right = 0
  for (const fact of found) {
    const at = left.indexOf(fact)
    if (at >= 0) {
      right++
      left.splice(at, 1)
    }
  }
  return { right, found: found.length, expected: expected.length }
}

t.ok(FIXTURES.length >= 10, `at least ten statements (${FIXTURES.length})`)

const totals = { names: { right: 0, found: 0, expected: 0 }, values: { right: 0, found: 0, expected: 0 } }

for (const { file, text, expected } of FIXTURES) {
  t.test(file, async (t) => {
    const reading = readStatement(text)
    const locator = new QuoteLocator(text)
    const codePoints = [...text]
    t.equal(reading.layout, expected.layout, 'the layout it is written in')
    // Every quote: the words at its offsets, and where the citation check finds it.
    for (const candidate of reading.candidates) {
      for (const quoted of [candidate.name, candidate.status, candidate.charges, candidate.sentence, candidate.recognition]) {
        if (!quoted) continue
        t.equal(codePoints.slice(quoted.start, quoted.end).join(''), quoted.quote, `${candidate.name.value}: "${quoted.quote}" is at its offsets`)
        t.same(locator.locate(quoted.quote), { start: quoted.start, end: quoted.end }, `${candidate.name.value}: the citation check finds it there`)
      }
    }
    t.same(reading.unparsed.map((entry) => entry.text.slice(0, 25)).map((text) => expected.unparsed.find((name) => text.startsWith(name)) ?? text), expected.unparsed, 'the entries it could not read are named, none guessed')

    const names = count(reading.candidates.map((c) => c.name.value), expected.people.map((p) => p.name))
    const values = count(reading.candidates.flatMap(factsOfCandidate), expected.people.flatMap((p) => factsOfExpected(p, expected.recognition)))
    for (const [total, one] of [
      [totals.names, names],
      [totals.values, values],
    ] as const) {
      total.right += one.right
      total.found += one.found
      total.expected += one.expected
    }
    t.comment(`${file}: names ${names.right}/${names.expected} (${names.found} found), values ${values.right}/${values.expected} (${values.found} found)`)
  })
}

t.test('recall and precision over every statement', async (t) => {
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b)
  const report = Object.fromEntries(
    Object.entries(totals).map(([what, { right, found, expected }]) => [what, { recall: ratio(right, expected), precision: ratio(right, found), right, found, expected }]),
  )
  // Printed for the reader of the run (and the report): the figures the floors below hold.
  console.log(`statement reader over ${FIXTURES.length} statements: ${JSON.stringify(report)}`)
  for (const [what, { recall, precision }] of Object.entries(report)) {
    t.ok(recall >= 0.9, `${what}: recall ${recall.toFixed(3)} ≥ 0.9`)
    t.ok(precision >= 0.9, `${what}: precision ${precision.toFixed(3)} ≥ 0.9`)
  }
})

t.test('a term in words or digits, as months', async (t) => {
  const months = (text: string) => readStatement(`Viasna recognised them on 1 May 2025:\n1. Ivan Ivanou – sentenced to ${text};\n2. Piotr Piatrou – detained.`).candidates[0].sentence?.value.termMonths
  t.equal(months('five years of imprisonment'), 60)
  t.equal(months('one and a half years of imprisonment'), 18)
  t.equal(months('14 months of restricted freedom'), 14)
  t.equal(months('3 years and 6 months in a penal colony'), 42)
  t.equal(months('a fine'), undefined, 'no term, no sentence')
})
