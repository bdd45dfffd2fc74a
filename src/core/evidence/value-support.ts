import { recordFieldNamed, type FieldKind } from '../document/record-fields'
import { folded } from '../../shared/countries'
import { LANGUAGES, countryName, dateInWords } from '../../shared/labels'

/**
 * Does a quote say the value it cites? Invariant 2 (docs/design.md §2) checks that a quote is the source's words;
 * this checks, for the values a person types rather than copies (a country, a status, a date, a term of years), that
 * those words say it, in English, Belarusian, Russian, Polish or Lithuanian. Sources paraphrase ("freed from jail",
 * "a Belarusian journalist"), so a value no quote seems to say is a warning on the write's answer and in the review
 * queue, never a refusal. Words are compared folded (no case, no diacritics) from the start of a word, so that a
 * stem finds its inflections ("Літв" finds "Літву", "released" "releases").
 */

export interface ValueWarning {
  /** The JSON Pointer of the value in the write (`/nationality/value`, `/sentence/alternatives/0/value`). */
  path: string
  message: string
}

interface Claim {
  value?: unknown
  citations?: { quote?: unknown }[]
}

/** A quote as written (for dates in digits) and folded (for words). */
interface Quote {
  raw: string
  words: string
}

/** One thing a value says, and whether a quote says it too (or, for what several quotes may say in parts, all of them together). */
interface Said {
  what: string
  in: (quote: Quote) => boolean
  inAll?: (quotes: Quote[]) => boolean
}

/** Whether a folded text has a word that begins with one of these (folded) beginnings. */
const hasWordStarting = (text: string, beginnings: string[]) => beginnings.some((start) => ` ${text}`.includes(` ${start}`))
const hasWord = (text: string, word: string) => ` ${text} `.includes(` ${word} `)
const foldAll = (words: string[]) => words.map(folded)
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

// --- countries -------------------------------------------------------------------------------------------------

/**
 * People and adjectives of the countries of the registry's region (the seed's people and their neighbours), where a
 * stem of the country's CLDR name does not reach them ("Poland" → "Polish", "Беларусь" → Russian "белорус…").
 * Other countries are found by their names and the stems of those.
 */
const DEMONYMS: Record<string, string[]> = {
  BY: ['белорус', 'беларус', 'bialorus', 'baltarus'],
  PL: ['polish', 'pole', 'польск', 'поляк', 'паляк', 'polak', 'polka', 'polki', 'lenk'],
  LT: ['литов', 'літоўс', 'літоўц', 'litew', 'litwin', 'lietuv'],
  LV: ['латыш', 'латвий', 'латвійс', 'lotew', 'lotysz', 'latv'],
  EE: ['эстон', 'eston', 'estas', 'estai'],
  SE: ['swed', 'швед', 'szwed', 'sved'],
  JP: ['japan', 'япон', 'japon'],
  UA: ['ukrain', 'украин', 'украін'],
  RU: ['russia', 'росси', 'русск', 'расійс', 'rosyj', 'rosjan', 'rusas', 'rusai', 'rusų'],
}

/** A name's stem: without the ending its inflections change ("Lietuva" → "lietuv", "Japonija" → "japon"). */
const stemOf = (name: string) => {
  const stem = name.replace(/(ija|ia|ия|ія|ья|ie|a|e|o|y|i|ь|я|а|о|ы|і|и|й|ю|у)$/, '')
  return stem.length >= 4 ? stem : name
}

const countryWords = new Map<string, string[]>()
function wordsOfCountry(code: string): string[] {
  let words = countryWords.get(code)
  if (!words) {
    const names = LANGUAGES.map((language) => folded(countryName(code, language))).filter((name) => name && name !== code.toLowerCase())
    words = [...new Set([...names, ...names.map(stemOf), ...foldAll(DEMONYMS[code] ?? []).map((word) => word.trim())])]
    countryWords.set(code, words)
  }
  return words
}

const country = (code: unknown): Said[] =>
  typeof code === 'string' && /^[A-Z]{2}$/.test(code)
    ? [{ what: `${code} (${countryName(code)}): its name or people in en, be, ru, pl or lt`, in: ({ words }) => hasWordStarting(words, wordsOfCountry(code)) }]
    : []

// --- statuses --------------------------------------------------------------------------------------------------

/** How sources say each status, as beginnings of words, in the five languages. */
const STATUS_WORDS: Record<string, string[]> = {
  released: foldAll([
    ...['releas', 'freed', 'free', 'pardon', 'let go'],
    ...['освобож', 'освобод', 'отпущ', 'отпуст', 'помилов', 'свобод'],
    ...['вызвал', 'адпуш', 'адпусц', 'памілав', 'свабод'],
    ...['uwoln', 'uwalni', 'zwoln', 'ułaskaw', 'wolnoś', 'wolnos'],
    ...['paleid', 'paleist', 'išlaisv', 'laisv', 'malon'],
  ]),
  detained: foldAll([
    ...['detain', 'arrest', 'imprison', 'jail', 'prison', 'custody', 'behind bars', 'convict', 'sentenc', 'held', 'serving'],
    ...['задерж', 'арест', 'заключ', 'осужд', 'тюрьм', 'колони', 'сизо', 'содерж', 'приговор'],
    ...['затрым', 'арышт', 'зняволен', 'турм', 'калоні', 'асудж', 'прысуд', 'утрымл'],
    ...['zatrzym', 'areszt', 'więzien', 'więzi', 'osadz', 'skazan', 'koloni'],
    ...['sulaik', 'suim', 'kalin', 'kalėj', 'nuteist', 'areštu'],
  ]),
  deceased: foldAll([
    ...['died', 'dead', 'death', 'deceased', 'killed', 'passed away'],
    ...['умер', 'скончал', 'погиб', 'смерт'],
    ...['памёр', 'памерл', 'загін', 'смерц'],
    ...['zmarł', 'zgin', 'śmierć', 'nie żyje'],
    ...['mirė', 'mirt', 'žuv'],
  ]),
}

const status = (value: unknown): Said[] =>
  typeof value === 'string' && STATUS_WORDS[value]
    ? [{ what: `${value} (in words such as ${STATUS_WORDS[value].slice(0, 2).join(', ')}, in en, be, ru, pl or lt)`, in: ({ words }) => hasWordStarting(words, STATUS_WORDS[value]) }]
    : []

// --- dates -----------------------------------------------------------------------------------------------------

/** Each month's names (standalone, as a date writes it, abbreviated) in the five languages, folded: MONTHS[0] is January's. */
const MONTH_FORMATS = LANGUAGES.flatMap((language) =>
  [{ month: 'long' }, { month: 'short' }, { day: 'numeric', month: 'long' }].map(
    (options) => new Intl.DateTimeFormat(language, { ...options, timeZone: 'UTC' } as Intl.DateTimeFormatOptions),
  ),
)
const MONTHS: string[][] = Array.from({ length: 12 }, (_, month) => {
  const day = new Date(Date.UTC(2025, month, 15))
  const names = MONTH_FORMATS.map((format) => format.formatToParts(day).find((part) => part.type === 'month')!.value)
  return [...new Set(foldAll(names))].filter((name) => name.length >= 3)
})

/** A date in digits, day first (21.06.2025, 21/06/25), year first (2025-06-21) or month first (6/21/2025). */
function inDigits(quote: string, year: string, month: number, day?: number): boolean {
  const [y, m, d] = [year, `0?${month}`, day === undefined ? '' : `0?${day}`]
  const patterns = day === undefined ? [`${m}[./-]${y}`, `${y}[./-]${m}`] : [`${d}[./-]${m}[./-](${y}|${y.slice(2)})`, `${y}[./-]${m}[./-]${d}`, `${m}/${d}/${y}`]
  return patterns.some((pattern) => new RegExp(`(?<!\\d)${pattern}(?!\\d)`).test(quote))
}

const partialDate = (value: unknown): Said[] => {
  if (typeof value !== 'string') return []
  const [year, month, day] = value.split('-')
  if (!/^\d{4}$/.test(year)) return []
  if (month === undefined) return [{ what: `the year ${year}`, in: ({ words }) => hasWord(words, year) }]
  const [m, d] = [Number(month), day === undefined ? undefined : Number(day)]
  const dayWord = (quote: string) => d === undefined || new RegExp(`(^| )0?${d}(st|nd|rd|th)?( |$)`).test(quote)
  return [
    {
      what: `${dateInWords(value)} (in words or digits, in en, be, ru, pl or lt)`,
      in: ({ raw, words }) => (hasWord(words, year) && hasWordStarting(words, MONTHS[m - 1]) && dayWord(words)) || inDigits(raw, year, m, d),
    },
  ]
}

// --- terms of a sentence ---------------------------------------------------------------------------------------

const YEARS = foldAll(['year', 'yr', 'год', 'лет', 'гад', 'rok', 'lat', 'met'])
const MONTH_UNITS = foldAll(['month', 'месяц', 'мес', 'miesiąc', 'miesięc', 'mėnes'])
const NUMBER_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty']
const TERM = new RegExp(`(?:^| )(\\d+|${NUMBER_WORDS.join('|')})(?: and a half| 5)? ?(${[...YEARS, ...MONTH_UNITS].join('|')})`, 'g')

/** The terms a (folded) quote gives, in months: "18 years … 18 months" → [216, 18]. */
function termsIn(quote: string): number[] {
  return [...quote.matchAll(TERM)].map(([, number, unit]) => {
    const count = /^\d+$/.test(number) ? Number(number) : NUMBER_WORDS.indexOf(number) + 1
    return MONTH_UNITS.includes(unit) ? count : count * 12
  })
}

const inYearsAndMonths = (months: number) => [months >= 12 ? `${Math.floor(months / 12)} years` : '', months % 12 ? `${months % 12} months` : ''].filter(Boolean).join(' ')

const sentence = (value: unknown): Said[] => {
  if (!isObject(value)) return []
  const { termMonths, sentencedIn } = value as { termMonths?: unknown; sentencedIn?: unknown }
  const term: Said[] =
    typeof termMonths === 'number'
      ? [
          {
            what: `a term of ${inYearsAndMonths(termMonths)} (termMonths ${termMonths}), or terms that add up to it`,
            in: ({ words }) => termsIn(words).includes(termMonths),
            // "sentenced to 18 years", and in another quote "extended by another 18 months"
            inAll: (quotes) => quotes.flatMap(({ words }) => termsIn(words)).reduce((sum, months) => sum + months, 0) === termMonths,
          },
        ]
      : []
  return [...term, ...partialDate(sentencedIn).map((said) => ({ ...said, what: `sentenced in ${said.what}` }))]
}

/** What each kind of typed value says; names and identifiers are copied, not typed, and invariant 2 covers them. */
const SAYS: Partial<Record<FieldKind, (value: unknown) => Said[]>> = {
  country,
  destination: (value) => (isObject(value) ? country(value.country) : []),
  status,
  partialDate,
  sentence,
  recognition: (value) => (isObject(value) ? partialDate(value.date).map((said) => ({ ...said, what: `recognised in ${said.what}` })) : []),
}

/** What each typed value of a claim says, checked against its quotes. */
function checksOf(kind: FieldKind, claim: Claim): (Said & { supported: boolean })[] {
  const quotes = (claim.citations ?? []).flatMap(({ quote }) => (typeof quote === 'string' ? [{ raw: quote, words: folded(quote) }] : []))
  // A withheld or private quote the caller cannot read says nothing either way.
  if (quotes.length === 0) return []
  return (SAYS[kind]?.(claim.value) ?? []).map((said) => ({ ...said, supported: quotes.some(said.in) || (said.inAll?.(quotes) ?? false) }))
}

/**
 * The values of a write (or of a stored record, its fields shaped alike) that their quotes do not seem to say,
 * each at its value's path with a plain message, and how many typed values were checked. Fields that are not a
 * record's cited fields are left alone.
 */
export function valueSupport(fields: Record<string, unknown>): { checked: number; warnings: ValueWarning[] } {
  const checks = Object.entries(fields).flatMap(([field, input]) => {
    const kind = recordFieldNamed(field)?.kind
    if (!kind || !isObject(input)) return []
    const { alternatives } = input as { alternatives?: unknown }
    const claims: [string, Claim][] = [
      [`/${field}`, input as Claim],
      ...(Array.isArray(alternatives) ? alternatives.map((claim, i): [string, Claim] => [`/${field}/alternatives/${i}`, claim as Claim]) : []),
    ]
    return claims.flatMap(([path, claim]) =>
      checksOf(kind, claim).map(({ what, supported }) => ({
        supported,
        path: `${path}/value`,
        message: `${field}: no quote of this value seems to say ${what}; check the value, or quote the words that say it`,
      })),
    )
  })
  return { checked: checks.length, warnings: checks.filter((check) => !check.supported).map(({ path, message }) => ({ path, message })) }
}

export const unsupportedValues = (fields: Record<string, unknown>): ValueWarning[] => valueSupport(fields).warnings
