/**
 * The term of a sentence in months, from the words a statement writes it in: "five years", "one and a half years",
 * "a year and a half", "14 months", "3 years and 6 months", "2.5 years" (English words and digits). Rules, not a
 * model: a term written otherwise is no term (the sentence keeps its text, without `termMonths`).
 */

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, 'twenty-one': 21, 'twenty-two': 22, 'twenty-three': 23, 'twenty-four': 24, 'twenty-five': 25,
}

const NUMBER = `(?:\\d+(?:[.,]5)?|${Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join('|')})`
const HALF = '(?:\\s+and\\s+a\\s+half)?'
const UNIT = '(years?|months?)'
/**
 * One term: a number and its unit, optionally "and a half" before or after the unit, optionally followed by
 * "and N months". Groups: 1 number, 2 "and a half" before the unit, 3 unit, 4 "and a half" after it, 5 the months added.
 */
export const TERM = new RegExp(
  `\\b(${NUMBER})(${HALF})[\\s-]+${UNIT}(\\s+and\\s+a\\s+half)?(?:,?\\s+and\\s+(${NUMBER})[\\s-]+months?)?\\b`,
  'iu',
)

const numberOf = (word: string): number | undefined => {
  const lower = word.toLowerCase()
  if (/^\d/.test(lower)) return Number(lower.replace(',', '.'))
  return NUMBER_WORDS[lower]
}

/** The first term in a text: where it is and its months; undefined when it writes none. */
export function termIn(text: string): { index: number; length: number; months: number } | undefined {
  const match = TERM.exec(text)
  if (!match) return undefined
  const [whole, number, halfBefore, unit, halfAfter, added] = match
  const count = numberOf(number)
  if (count === undefined) return undefined
  const halves = (halfBefore ? 0.5 : 0) + (halfAfter ? 0.5 : 0)
  const perUnit = /^year/i.test(unit) ? 12 : 1
  const months = Math.round((count + halves) * perUnit) + (added === undefined ? 0 : (numberOf(added) ?? 0))
  // "a month" alone is not a term a statement gives; neither is a number of months too large for a sentence.
  if (!Number.isInteger(months) || months <= 0 || months > 1200) return undefined
  return { index: match.index, length: whole.length, months }
}
