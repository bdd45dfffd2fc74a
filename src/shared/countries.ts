import { CountryCodes } from 'validator/lib/isISO31661Alpha2'
import { LANGUAGES, countryName } from './labels'

/**
 * Countries as people name them. A country value is stored as its ISO 3166-1 alpha-2 code; a person filling a form
 * may also give its name in any language of the registry (en, be, ru, pl, lt), in any case, with or without
 * diacritics: "Belarus", "Беларусь", "Białoruś", "Baltarusija", "bialorus". The names are the platform's CLDR
 * data (Intl.DisplayNames, docs/design.md §9), never a list kept by hand, so every country has them all.
 */

/**
 * The ISO 3166-1 alpha-2 codes, as class-validator (through validator.js) checks them: `RM` (not assigned) is refused
 * by the server and by the contract alike.
 */
export const COUNTRY_CODES: string[] = [...(CountryCodes as Set<string>)].sort()

/** The contract's one declaration of a country code (components/schemas/CountryCode); fields refer to it. */
export const COUNTRY_CODE_COMPONENT = {
  type: 'string',
  enum: COUNTRY_CODES,
  description: 'An assigned ISO 3166-1 alpha-2 country code, upper case, e.g. BY.',
}
export const COUNTRY_CODE_SCHEMA = { $ref: '#/components/schemas/CountryCode' }

export const isCountryCode = (code: unknown): code is string => typeof code === 'string' && /^[A-Z]{2}$/.test(code) && (CountryCodes as Set<string>).has(code)

/** A country as a form's list offers it, its English name first so that typing "Belarus" finds it: "Belarus (BY)". */
export const countryChoice = (code: string): string => `${countryName(code)} (${code})`

/** Every country as a form's list offers it, in the order of their English names. */
export const COUNTRY_CHOICES: string[] = COUNTRY_CODES.map(countryChoice).sort((a, b) => a.localeCompare(b, 'en'))

// Letters that carry no combining mark to strip (Polish ł, Danish ø…), and & as CLDR's English writes "and".
const FOLDS: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', '&': ' and ' }

/** A name as it is compared: no case, no diacritics, words separated by one space ("Białoruś" → "bialorus"). */
export function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđßæœı&]/g, (letter) => FOLDS[letter])
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Each country's names (long and short, in every language) as folded keys, and as written, for suggestions. */
const NAMES = new Map<string, { code: string; written: string }>()
// One formatter per language and style, made once: Intl constructors are slow beside a lookup.
const displayNames = LANGUAGES.flatMap((language) => (['long', 'short'] as const).map((style) => new Intl.DisplayNames([language], { type: 'region', style })))
for (const code of COUNTRY_CODES) {
  for (const names of displayNames) {
    const written = names.of(code)
    // A name two countries shared would stay the first one's (a long name before another's short one).
    if (written && written !== code && !NAMES.has(folded(written))) NAMES.set(folded(written), { code, written })
  }
}

/** The code of a country written as a name in any of the languages, or as its code in any case. */
function byName(text: string): string | undefined {
  const code = text.trim().toUpperCase()
  if (isCountryCode(code)) return code
  return NAMES.get(folded(text))?.code
}

// "Belarus (BY)", as the form's list offers it; "BY (Belarus)", "BY — Belarus", "Belarus - BY" as people write it.
const WITH_CODE = [/^(?<name>.+?)\s*\(\s*(?<code>[A-Za-z]{2})\s*\)$/, /^(?<code>[A-Za-z]{2})\s*(?:\(\s*(?<name>.+?)\s*\)|[—–-]\s*(?<name2>.+))$/, /^(?<name>.+?)\s+[—–-]\s*(?<code>[A-Za-z]{2})$/]

/**
 * The code of the country a person wrote: its code (any case), its name in en, be, ru, pl or lt (any case, with or
 * without diacritics), or both, as the form's list offers it ("Belarus (BY)"); undefined when it is no country,
 * or when its name and code disagree.
 */
export function countryCode(text: string): string | undefined {
  const whole = byName(text)
  if (whole) return whole
  for (const pattern of WITH_CODE) {
    const groups = pattern.exec(text.trim())?.groups
    if (!groups) continue
    const code = groups.code.toUpperCase()
    const name = groups.name ?? groups.name2
    return isCountryCode(code) && byName(name) === code ? code : undefined
  }
  return undefined
}

/** Levenshtein's distance, for the few short names a suggestion compares. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

/** A longer text is no mistyped country name; comparing it would only cost work (docs/design.md §2, invariant 10). */
const LONGEST_NAME = 60

/**
 * The countries whose names come closest to a text that names none ("Belarsu" → "Belarus (BY)"), each named as the
 * text's language names it ("Белоруссия" → "Беларусь (BY)"), at most `count`, closest first.
 */
export function closestCountries(text: string, count = 3): string[] {
  const key = folded(text)
  if (!key || key.length > LONGEST_NAME) return []
  const scored = [...NAMES].map(([name, { code, written }]) => {
    // A beginning typed in full ("bela") is as close as a name can be short of being it.
    const score = name.startsWith(key) ? 0.5 : distance(key, name) / Math.max(key.length, name.length)
    return { code, written, score }
  })
  scored.sort((a, b) => a.score - b.score)
  const chosen = new Map<string, string>()
  for (const { code, written, score } of scored) {
    if (chosen.size >= count || score > 0.5) break
    if (!chosen.has(code)) chosen.set(code, `${written} (${code})`)
  }
  return [...chosen.values()]
}

/** What a text that is no country code is, said after "must be an ISO 3166-1 alpha-2 code such as BY". */
export function notACountryHint(value: unknown): string {
  if (typeof value !== 'string') return ''
  const code = countryCode(value)
  if (code) return `: ${JSON.stringify(value)} is ${code}`
  const closest = closestCountries(value)
  const named = `${JSON.stringify(value.length > LONGEST_NAME ? `${value.slice(0, LONGEST_NAME)}…` : value)} names no country (in en, be, ru, pl or lt)`
  return closest.length ? `: ${named}; the closest: ${closest.join(', ')}` : `: ${named}`
}
