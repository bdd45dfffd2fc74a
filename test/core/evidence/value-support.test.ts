import { readFileSync } from 'node:fs'
import t from 'tap'
import { unsupportedValues, valueSupport } from '../../../src/core/evidence/value-support'

/**
 * Does a quote say the typed value it cites (a country, a status, a date, a term)? In English, Belarusian, Russian,
 * Polish and Lithuanian; a value no quote says is a warning, never a refusal (src/core/evidence/value-support.ts).
 */

const claim = (value: unknown, ...quotes: string[]) => ({ value, citations: quotes.map((quote) => ({ sourceId: 'x', quote })) })
const says = (field: string, value: unknown, ...quotes: string[]) => unsupportedValues({ [field]: claim(value, ...quotes) }).length === 0

t.test('a quote says a country by its name, its people or their adjective, in each language, inflected', async (t) => {
  for (const quote of ['a Belarusian journalist', 'Belarus freed him', 'беларускі журналіст', 'белорусский журналист', 'в Беларуси', 'białoruski dziennikarz', 'z Białorusi', 'baltarusių žurnalistas'])
    t.ok(says('nationality', 'BY', quote), quote)
  for (const quote of ['taken to Lithuania', 'вывезены ў Літву', 'вывезли в Литву', 'przewiezieni na Litwę', 'išvežti į Lietuvą']) t.ok(says('destination', { country: 'LT' }, quote), quote)
  t.ok(says('nationality', 'PL', 'three Polish citizens'), 'Polish')
  t.ok(says('nationality', 'JP', 'a Japanese citizen'), 'Japanese')
  t.notOk(says('nationality', 'BE', 'a Belarusian journalist'), 'Belarusian does not say Belgium')
  t.notOk(says('destination', { country: 'PL' }, 'taken to Lithuania'), 'Lithuania does not say Poland')
})

t.test('a quote says a date in words or digits, a year alone as a year', async (t) => {
  for (const quote of ['released on 21 June 2025', 'June 21st, 2025', '21 июня 2025 года', '21 чэрвеня 2025', '21 czerwca 2025', '2025 m. birželio 21 d.', 'on 21.06.2025', '2025-06-21'])
    t.ok(says('releaseDate', '2025-06-21', quote), quote)
  t.notOk(says('releaseDate', '2025-06-21', 'released on 22 June 2025'), 'another day')
  t.notOk(says('releaseDate', '2025-06-21', 'released on Saturday'), 'no date at all')
  t.ok(says('releaseDate', '2025-06', 'in June 2025'))
  t.ok(says('arrestDate', '2020', 'He was arrested in 2020'))
  t.notOk(says('arrestDate', '2020', 'He was arrested in 2021'))
})

t.test('a quote says a term of years or months; terms in several quotes add up', async (t) => {
  for (const quote of ['sentenced to 15 years', 'приговорён к 15 годам', 'асуджаны на 15 гадоў', '15 лет колонии', 'skazany na 15 lat', 'nuteistas 15 metų', 'fifteen years in a penal colony'])
    t.ok(says('sentence', { text: 'x', termMonths: 180 }, quote), quote)
  t.notOk(says('sentence', { text: 'x', termMonths: 180 }, 'sentenced to 14 years'))
  t.ok(says('sentence', { text: 'x', termMonths: 234 }, 'sentenced to 18 years', 'extended by another 18 months'), 'two quotes, added')
})

t.test('a quote says a status in words such as freed, released, освобождён', async (t) => {
  for (const quote of ['have been freed from jail', 'were released', 'освобождены', 'вызваленыя', 'zostali uwolnieni', 'buvo paleisti']) t.ok(says('status', 'released', quote), quote)
  t.notOk(says('status', 'released', 'remains behind bars'), 'behind bars is not released')
  t.ok(says('status', 'detained', 'remains behind bars'))
})

t.test('the warning names the value it is about, and every alternative is checked', async (t) => {
  const warnings = unsupportedValues({ nationality: { ...claim('BY', 'a Belarusian journalist'), alternatives: [claim('PL', 'a Belarusian journalist')] }, name: claim('Ann', 'Bob') })
  t.same(warnings.map((w) => w.path), ['/nationality/alternatives/0/value'])
  t.match(warnings[0].message, /^nationality: no quote of this value seems to say PL \(Poland\)/)
})

t.test('the seed: how many typed values their quotes say', async (t) => {
  const records = JSON.parse(readFileSync('seeds-data/prisoners.json', 'utf8')) as { fields: Record<string, unknown> }[]
  const support = records.map(({ fields }) => valueSupport(fields))
  const checked = support.reduce((sum, { checked }) => sum + checked, 0)
  const warnings = support.flatMap(({ warnings }) => warnings)
  t.comment(`seed: ${checked - warnings.length} of ${checked} typed values supported by their quotes`)
  for (const warning of warnings) t.comment(`${warning.path}: ${warning.message}`)
  t.ok(checked >= 40, `${checked} typed values checked`)
  t.same(warnings, [], 'every typed value of the seed is said by one of its quotes')
})
