/**
 * Labels for people, in the languages of the registry's readers: English, Belarusian, Russian, Polish and
 * Lithuanian. Country names and dates come from Intl (CLDR); the registry's own words (statuses) from the one catalogue
 * below, and a field's name from its declaration (src/core/document/record-fields.ts). Labels sit beside the cited
 * values and never replace them: a value is what its source says, a label is only how a reader's language names it.
 */

export const LANGUAGES = ['en', 'be', 'ru', 'pl', 'lt'] as const
export type Language = (typeof LANGUAGES)[number]

interface Words {
  statuses: Record<'detained' | 'released' | 'deceased', string>
}

/** The catalogue: every word of the registry's own, in every language it speaks. */
export const CATALOGUE: Record<Language, Words> = {
  en: {
    statuses: { detained: 'detained', released: 'released', deceased: 'deceased' },
  },
  be: {
    statuses: { detained: 'утрымліваецца', released: 'вызвалены', deceased: 'памёр' },
  },
  ru: {
    statuses: { detained: 'в заключении', released: 'освобождён', deceased: 'умер' },
  },
  pl: {
    statuses: { detained: 'w areszcie', released: 'uwolniony', deceased: 'zmarły' },
  },
  lt: {
    statuses: { detained: 'kalinamas', released: 'paleistas', deceased: 'miręs' },
  },
}

// One formatter per language, made once: Intl constructors are slow beside a lookup.
const regionNames = Object.fromEntries(LANGUAGES.map((language) => [language, new Intl.DisplayNames([language], { type: 'region' })])) as Record<
  Language,
  Intl.DisplayNames
>

/** A country's name in a language ("BY" → "Belarus", "Беларусь", …); the code itself when Intl knows none. */
export function countryName(code: string, language: Language = 'en'): string {
  try {
    return regionNames[language].of(code) ?? code
  } catch {
    return code
  }
}

/** A status in a language; the status itself when the catalogue has no word for it. */
export function statusName(status: string, language: Language = 'en'): string {
  return (CATALOGUE[language].statuses as Record<string, string>)[status] ?? status
}

// English dates as people write them in the registry's sources: "21 June 2025".
const DATE_FORMATS = {
  day: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  month: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
}

/** A partial date (YYYY, YYYY-MM or YYYY-MM-DD) in English words: "2025", "June 2025", "21 June 2025". */
export function dateInWords(date: string): string {
  if (/^\d{4}$/.test(date)) return date
  const format = date.length === 7 ? DATE_FORMATS.month : DATE_FORMATS.day
  const parsed = new Date(`${date.length === 7 ? `${date}-01` : date}T00:00:00Z`)
  return Number.isNaN(parsed.getTime()) ? date : format.format(parsed)
}

/**
 * The language a request asks for: `lang=` first, then the first of Accept-Language's languages (by weight)
 * that the registry speaks; null when neither names one (the caller then answers without labels).
 */
export function requestedLanguage(lang: string | undefined, acceptLanguage: string | undefined): Language | null {
  if (lang !== undefined) return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : null
  if (!acceptLanguage) return null
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';')
      const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean)
      return { language: tag.trim().toLowerCase().split('-')[0], weight: q ? Number(q[1]) : 1, index }
    })
    .filter(({ language, weight }) => weight > 0 && (LANGUAGES as readonly string[]).includes(language))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
  return ranked.length ? (ranked[0].language as Language) : null
}
