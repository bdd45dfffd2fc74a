import { QuoteLocator, SearchBudgetSpent } from '../evidence/quote-locator'
import { WorkBudget } from '../evidence/work-budget'
import { termIn } from './sentence-terms'

/**
 * A statement of a human-rights group (a list of people recognised as political prisoners) read into candidate
 * records, by rules: no model, nothing guessed. Each value comes with the exact words it is read from, at their
 * offsets, located as a citation's quote is (evidence/quote-locator.ts), so that a candidate's quote always passes
 * the citation check (docs/design.md §2, invariant 2). The shapes it reads are listed in docs/api.md
 * ("Candidates from a statement"); a person it cannot read whole is left out and named in `unparsed`.
 */

/** A value and the words of the statement that say it: [start, end) in code points of the archived text. */
export interface Quoted<T> {
  value: T
  quote: string
  start: number
  end: number
}

export type Stage = 'detained' | 'charged' | 'sentenced' | 'released'
export interface SentenceRead {
  text: string
  termMonths?: number
  charges?: string[]
}
export interface RecognitionRead {
  by: string[]
  date?: string
}

export interface StatementCandidate {
  /** Its place in the statement's list, from 0: how a volunteer keeps it. */
  index: number
  name: Quoted<string>
  /** The stage of the case the statement gives, and the registry's status for it (charged and sentenced are `detained`). */
  stage?: Stage
  status?: Quoted<'detained' | 'released'>
  /** The articles of the Criminal Code, also in the sentence's `charges` when there is one. */
  charges?: Quoted<string[]>
  sentence?: Quoted<SentenceRead>
  recognition?: Quoted<RecognitionRead>
}

export interface UnparsedEntry {
  text: string
  start: number
  end: number
  reason: string
}

export interface StatementReading {
  /** How the list was found: numbered or bulleted lines, a semicolon-separated list, or one person a line. */
  layout: 'numbered' | 'semicolons' | 'lines' | 'none'
  recognition?: Quoted<RecognitionRead>
  candidates: StatementCandidate[]
  unparsed: UnparsedEntry[]
}

/** At most this many people are read from one statement; the rest are named in `unparsed`. */
export const MAX_CANDIDATES = 500

// --- names -----------------------------------------------------------------------------------------------------

// A word of a name: a capital and small letters (Łacinka's diacritics and Cyrillic included), an apostrophe, parts
// joined by a hyphen (Haievski-Khanada).
const NAME_WORD = String.raw`\p{Lu}[\p{Ll}\p{M}’'ʼ]+(?:-\p{Lu}[\p{Ll}\p{M}’'ʼ]+)*`
const NAME = new RegExp(String.raw`^(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(${NAME_WORD}(?:[ \t]+${NAME_WORD}){0,3})`, 'u')
/** Capitalised words that begin or end a clause, never a name. */
const NOT_NAMES = new Set(
  'Article Articles Art Part Criminal Code Court The A An On In At Of For By And Under Sentenced Detained Charged Released Arrested Convicted Born Since After Before From To We Our His Her Their This These That Statement Joint Political Prisoner Prisoners Human Rights Minsk Belarus Viasna'.split(
    ' ',
  ),
)
const SECOND_PERSON = new RegExp(String.raw`^\s*(?:and|&|і|и)\s+${NAME_WORD}`, 'u')
/** What may follow a name at the start of an entry: a dash, a bracket, a comma, a colon, or the verb of a sentence. */
const AFTER_NAME = /^(?:\s*$|\s*[–—\-(,:.;]|\s+(?:was|is|has|had|who|remains|received|got|faces|aged|born)\b)/u

/** The name an entry begins with: its words (up to four) without the words no name holds. */
function leadingName(entry: string): { name: string; index: number } | { problem: string } {
  const match = NAME.exec(entry)
  if (!match) return { problem: 'it does not begin with a name' }
  let words = match[1].split(/[ \t]+/)
  const cut = words.findIndex((word) => NOT_NAMES.has(word))
  if (cut === 0) return { problem: 'it does not begin with a name' }
  if (cut > 0) words = words.slice(0, cut)
  const index = match[0].length - match[1].length
  const after = entry.slice(index + entry.slice(index).indexOf(words[words.length - 1]) + words[words.length - 1].length)
  if (SECOND_PERSON.test(after)) return { problem: 'it names more than one person' }
  if (words.length < 2) return { problem: 'one word is not a whole name' }
  if (!AFTER_NAME.test(after)) return { problem: 'the name is not followed by a separator (–, -, a bracket or a comma)' }
  // The name as written (a tab between its words stays a tab: the quote is the statement's words).
  return { name: entry.slice(index, index + entry.slice(index).indexOf(words[words.length - 1]) + words[words.length - 1].length), index }
}

// --- articles --------------------------------------------------------------------------------------------------

const ARTICLE_NUMBER = String.raw`\d{3}(?:[-.]\d{1,2})?`
const ONE_ARTICLE = String.raw`(?:Part\s+\d+\s+of\s+)?(?:Art(?:icles?|s?\.)\s*)?${ARTICLE_NUMBER}(?:,?\s+[Pp](?:art|t\.)\s*\d+)?`
/** A run of articles: "Article 342", "Articles 342 and 361-1", "Part 2 of Article 342", "Article 361-1, Part 1". */
const ARTICLES = new RegExp(
  String.raw`(?:Part\s+\d+\s+of\s+)?Art(?:icles?|s?\.)\s*${ARTICLE_NUMBER}(?:,?\s+[Pp](?:art|t\.)\s*\d+)?(?:(?:\s*,\s*|\s+and\s+)${ONE_ARTICLE})*(?:\s+of\s+the\s+Criminal\s+Code(?:\s+of\s+(?:the\s+Republic\s+of\s+)?Belarus)?)?`,
  'gu',
)
const ARTICLE_ITEM = new RegExp(String.raw`(?:Part\s+(\d+)\s+of\s+(?:Art(?:icles?|s?\.)\s*)?)?(${ARTICLE_NUMBER})(?:,?\s+[Pp](?:art|t\.)\s*(\d+))?`, 'gu')

function chargesIn(text: string): { charges: string[]; start: number; end: number } | undefined {
  const charges: string[] = []
  let [start, end] = [-1, -1]
  for (const run of text.matchAll(ARTICLES)) {
    if (start < 0) start = run.index
    end = run.index + run[0].length
    for (const [, partBefore, number, partAfter] of run[0].replace(/\s+of\s+the\s+Criminal\s+Code.*$/su, '').matchAll(ARTICLE_ITEM)) {
      const part = partBefore ?? partAfter
      const charge = `Article ${number.replace('.', '-')}${part ? ` Part ${part}` : ''}`
      if (!charges.includes(charge)) charges.push(charge)
    }
  }
  return charges.length ? { charges, start, end } : undefined
}

// --- sentences and stages --------------------------------------------------------------------------------------

const SENTENCE_VERB = /\b(?:sentenced|received|was given|got)\b/iu
const SENTENCE_WORDS = /^[^;()]{0,20}\b(?:of\s+imprisonment|imprisonment|in\s+(?:a\s+)?(?:[\w-]+\s+){0,3}(?:colony|prison)|of\s+(?:restricted|restriction\s+of)\s+freedom|of\s+(?:home\s+)?(?:confinement|arrest)|in\s+jail|of\s+deprivation\s+of\s+liberty|of\s+(?:correctional\s+)?labou?r)/iu
/** Where the words of a sentence end: the end of its clause. */
const CLAUSE_END = /;|\(|\s+under\s|\s+for\s|\s+on\s+charges|\.(?:\s|$)|,|\n|\s+by\s+the\s|\s+and\s+(?:was|is|has|released|fined)\b|$/u

function sentenceIn(text: string): { text: string; termMonths: number; start: number; end: number; textStart: number } | undefined {
  const verb = SENTENCE_VERB.exec(text)
  const from = verb ? verb.index + verb[0].length : 0
  const term = termIn(text.slice(from, from + (verb ? 60 : text.length)))
  if (!term) return undefined
  const termStart = from + term.index
  const rest = text.slice(termStart + term.length)
  // Without a verb, a term is a sentence only when the words after it say so ("5 years of imprisonment").
  if (!verb && !SENTENCE_WORDS.test(rest)) return undefined
  const clause = CLAUSE_END.exec(rest)!
  const end = termStart + term.length + clause.index
  return { text: text.slice(termStart, end).trim(), termMonths: term.months, start: verb ? verb.index : termStart, end, textStart: termStart }
}

/** The words of each stage, the furthest first: an entry's stage is the furthest it names. */
const STAGES: [Stage, RegExp][] = [
  ['released', /\b(?:released|freed|pardoned)\b/iu],
  ['sentenced', /\b(?:sentenced|convicted)\b/iu],
  ['charged', /\b(?:charged|accused|indicted|prosecuted)\b/iu],
  ['detained', /\b(?:detained|arrested|in\s+custody|remanded|imprisoned)\b/iu],
]

// --- the header: who recognised, and when ----------------------------------------------------------------------

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MONTH = `(${MONTH_NAMES.join('|')})`
const DATES: [RegExp, (m: RegExpExecArray) => string | undefined][] = [
  [new RegExp(String.raw`\b(\d{1,2})\s+${MONTH}\s+(\d{4})\b`, 'iu'), (m) => ymd(m[3], monthOf(m[2]), m[1])],
  [new RegExp(String.raw`\b${MONTH}\s+(\d{1,2}),?\s+(\d{4})\b`, 'iu'), (m) => ymd(m[3], monthOf(m[1]), m[2])],
  [/\b(\d{4})-(\d{2})-(\d{2})\b/u, (m) => ymd(m[1], Number(m[2]), m[3])],
  [/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/u, (m) => ymd(m[3], Number(m[2]), m[1])],
  [new RegExp(String.raw`\b${MONTH}\s+(\d{4})\b`, 'iu'), (m) => `${m[2]}-${String(monthOf(m[1])).padStart(2, '0')}`],
]
const monthOf = (name: string) => MONTH_NAMES.indexOf(name.toLowerCase()) + 1

function ymd(year: string, month: number, day: string): string | undefined {
  const date = new Date(Date.UTC(Number(year), month - 1, Number(day)))
  if (month < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== Number(day)) return undefined
  return `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`
}

function firstDate(text: string): { date: string; start: number; end: number } | undefined {
  let best: { date: string; start: number; end: number } | undefined
  for (const [pattern, read] of DATES) {
    const match = pattern.exec(text)
    const date = match && read(match)
    if (match && date && (!best || match.index < best.start)) best = { date, start: match.index, end: match.index + match[0].length }
  }
  return best
}

const RECOGNISE = /\b(?:have\s+|has\s+|been\s+|hereby\s+|jointly\s+|officially\s+)*recogni[sz](?:ed|es|e)\b/iu
/** What a subject says before naming organisations: "We, the undersigned human rights organisations –". */
const GENERIC_SUBJECT =
  /^(?:(?:the|a)\s+)?(?:joint\s+statement\s+(?:of|by)\s+)?(?:we,?\s+)?(?:the\s+)?(?:undersigned\s+)?(?:(?:belarusian\s+)?(?:human[ -]rights\s+)?(?:organi[sz]ations|groups|defenders|community|NGOs)\b)?\s*[,:–—-]?\s*/iu
const LEADING_DATE = /^(?:(?:on|as\s+of|in\s+(?:a|its|their)\s+(?:joint\s+)?statement\s+(?:of|dated|published\s+on))\s+[^,]{4,30},\s*|today,?\s*)/iu

/** The organisations a clause names: a list split at commas and "and", each as it is written, quotes aside. */
function organisationsIn(clause: string): string[] {
  let text = clause.replace(LEADING_DATE, '').replace(GENERIC_SUBJECT, '')
  const bracketed = /[(–—]\s*([^()–—]+?)\s*[)–—]?\s*$/u.exec(text)
  if (bracketed && /,|\band\b/u.test(bracketed[1])) text = bracketed[1]
  return text
    .split(/\s*[,;]\s*(?:and\s+)?|\s+and\s+/u)
    .map((item) => item.replace(/^(?:the|and)\s+/iu, '').replace(/["“”«»„]/gu, '').replace(/[\s.,:–—-]+$/u, '').trim())
    .filter((item) => /^[\p{Lu}\d]/u.test(item) && item.length <= 200)
}

/** Sentences of a text with their starts: split after . ! ? : and at line ends. */
function sentencesOf(text: string, offset: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = []
  const pattern = /[^.!?:\n]+(?:[.!?:]+(?=\s|$)|$|(?=\n))|[^\n]+?(?=\n|$)/gu
  for (const match of text.matchAll(pattern)) {
    const lead = match[0].length - match[0].trimStart().length
    const sentence = match[0].trim()
    if (sentence) out.push({ text: sentence, start: offset + match.index + lead })
  }
  return out
}

// --- entries ---------------------------------------------------------------------------------------------------

interface Entry {
  text: string
  /** UTF-16 index of the entry's text (after its number or bullet) in the statement. */
  start: number
  /** Where its line begins (its number or bullet included), for a quote that must grow to be the first of its words. */
  lineStart: number
}

const MARKER = /^[ \t]*(?:\(?\d{1,3}[.)]|[-–—•*])[ \t]+/u

function linesOf(text: string): { text: string; start: number }[] {
  const lines: { text: string; start: number }[] = []
  let start = 0
  for (const line of text.split('\n')) {
    lines.push({ text: line.replace(/\r$/u, ''), start })
    start += line.length + 1
  }
  return lines
}

/** Numbered or bulleted lines; a numbered paragraph goes on over the lines that follow it until a blank line. */
function markedEntries(text: string): Entry[] {
  const entries: Entry[] = []
  let current: Entry | null = null
  for (const line of linesOf(text)) {
    const marker = MARKER.exec(line.text)
    if (marker) {
      current = { text: line.text.slice(marker[0].length), start: line.start + marker[0].length, lineStart: line.start }
      entries.push(current)
    } else if (current && line.text.trim()) {
      current.text += '\n' + line.text
    } else {
      current = null
    }
  }
  return entries
}

/** The items of a list after a colon, separated by semicolons (outside brackets), in the paragraph that holds it. */
function semicolonEntries(text: string): Entry[] {
  for (const paragraph of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]+)*/gu)) {
    const colon = paragraph[0].indexOf(':')
    const body = paragraph[0].slice(colon + 1)
    if (colon < 0 || !body.includes(';')) continue
    const entries: Entry[] = []
    let [depth, itemStart] = [0, 0]
    const base = paragraph.index + colon + 1
    const push = (from: number, to: number) => {
      const raw = body.slice(from, to)
      const lead = raw.length - raw.trimStart().length
      const item = raw.trim().replace(/^and\s+/u, '').replace(/\.$/u, '')
      const skipped = raw.trim().length - raw.trim().replace(/^and\s+/u, '').length
      if (item) entries.push({ text: item, start: base + from + lead + skipped, lineStart: base + from + lead })
    }
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '(') depth++
      else if (body[i] === ')') depth = Math.max(0, depth - 1)
      else if (body[i] === ';' && depth === 0) {
        push(itemStart, i)
        itemStart = i + 1
      }
    }
    push(itemStart, body.length)
    return entries
  }
  return []
}

/** One person a line: every line after the first paragraph that begins with a name and a separator, or looks like an entry. */
function lineEntries(text: string, bodyStart: number): Entry[] {
  return linesOf(text)
    .filter((line) => line.start >= bodyStart && line.text.trim())
    .filter((line) => !('problem' in leadingName(line.text.trim())) || /\s[–—-]\s|\(Art|Article\s+\d/u.test(line.text))
    .map((line) => {
      const lead = line.text.length - line.text.trimStart().length
      return { text: line.text.trim(), start: line.start + lead, lineStart: line.start + lead }
    })
}

/** Where the first paragraph ends: the first blank line, or the first line of the list. */
function headerEnd(text: string, firstEntry: number | undefined): number {
  const blank = /\n[ \t]*\n/u.exec(text)
  const end = blank ? blank.index : text.length
  return firstEntry === undefined ? end : Math.min(end, firstEntry)
}

// --- quotes ----------------------------------------------------------------------------------------------------

/**
 * Pins a span as a quote: the words from `start` to `end`, grown word by word up to `limit` until they are the
 * first occurrence of themselves in the text (a citation's quote is located at its first occurrence), then
 * located as the citation check will locate them.
 */
class Pinner {
  private readonly locator: QuoteLocator
  constructor(
    private readonly text: string,
    private readonly budget: WorkBudget,
  ) {
    this.locator = new QuoteLocator(text)
  }

  pin<T>(value: T, start: number, end: number, limit: number, lineStart = start): Quoted<T> {
    const text = this.text
    const trimmed = (s: number, e: number): [number, number] => {
      while (s < e && /\s/u.test(text[s])) s++
      while (e > s && /[\s,;:–—-]/u.test(text[e - 1])) e--
      return [s, e]
    }
    let [s, e] = trimmed(start, end)
    while (text.indexOf(text.slice(s, e)) !== s && e < limit) {
      const next = /\s*\S+/uy
      next.lastIndex = e
      const grown = next.exec(text)
      e = grown ? Math.min(limit, e + grown[0].length) : limit
    }
    if (text.indexOf(text.slice(s, e)) !== s && lineStart < s) s = lineStart
    ;[s, e] = trimmed(s, e)
    const quote = text.slice(s, e)
    const at = this.locator.locate(quote, this.budget)
    if (!at) throw new Error('a quote of the statement was not located in it')
    return { value, quote, start: at.start, end: at.end }
  }
}

// --- the reading -----------------------------------------------------------------------------------------------

function readEntry(entry: Entry, pinner: Pinner): Omit<StatementCandidate, 'index' | 'recognition'> | { problem: string } {
  const found = leadingName(entry.text)
  if ('problem' in found) return found
  const limit = entry.start + entry.text.length
  const nameStart = entry.start + found.index
  const nameEnd = nameStart + found.name.length
  const rest = entry.text.slice(found.index + found.name.length)
  const restStart = nameEnd
  const candidate: Omit<StatementCandidate, 'index' | 'recognition'> = { name: pinner.pin(found.name, nameStart, nameEnd, limit, entry.lineStart) }

  const charges = chargesIn(rest)
  if (charges) candidate.charges = pinner.pin(charges.charges, restStart + charges.start, restStart + charges.end, limit, entry.lineStart)
  const sentence = sentenceIn(rest)
  if (sentence) {
    // The sentence's quote covers its articles too, when the entry gives them: the value holds them as charges.
    const [from, to] = charges ? [Math.min(sentence.start, charges.start), Math.max(sentence.end, charges.end)] : [sentence.start, sentence.end]
    const value: SentenceRead = { text: sentence.text, termMonths: sentence.termMonths, ...(charges ? { charges: charges.charges } : {}) }
    candidate.sentence = pinner.pin(value, restStart + from, restStart + to, limit, entry.lineStart)
  }
  for (const [stage, words] of STAGES) {
    const said = words.exec(rest)
    if (!said && !(stage === 'sentenced' && sentence)) continue
    candidate.stage = stage
    // The status's quote runs from the name to the word of the stage: "Ihar Ivanou – sentenced".
    const to = said ? said.index + said[0].length : sentence!.end
    candidate.status = pinner.pin(stage === 'released' ? 'released' : 'detained', nameStart, restStart + to, limit, entry.lineStart)
    break
  }
  return candidate
}

/** Reads a statement's text: the people it lists, each value with its quote; those it cannot read, in `unparsed`. */
export function readStatement(text: string, budget = new WorkBudget()): StatementReading {
  const pinner = new Pinner(text, budget)
  let layout: StatementReading['layout']
  let entries = markedEntries(text)
  if (entries.length >= 2) layout = 'numbered'
  else if ((entries = semicolonEntries(text)).length >= 2) layout = 'semicolons'
  else {
    const bodyStart = headerEnd(text, undefined)
    entries = lineEntries(text, bodyStart)
    layout = entries.length ? 'lines' : 'none'
  }
  // The header: what comes before the list (its first paragraph when no list is found), at most 3,000 characters.
  const header = text.slice(0, Math.min(3000, entries.length ? entries[0].lineStart : headerEnd(text, undefined)))
  const recognition = recognitionIn(header, pinner)

  const candidates: StatementCandidate[] = []
  const unparsed: UnparsedEntry[] = []
  const cp = codePoints(text)
  for (const entry of entries) {
    const end = entry.start + entry.text.length
    if (candidates.length >= MAX_CANDIDATES) {
      unparsed.push({ text: entry.text.slice(0, 300), start: cp(entry.start), end: cp(end), reason: `more than ${MAX_CANDIDATES} people in one statement` })
      continue
    }
    let read: ReturnType<typeof readEntry>
    try {
      read = readEntry(entry, pinner)
    } catch (error) {
      if (error instanceof SearchBudgetSpent) throw error
      read = { problem: 'its words could not be quoted' }
    }
    if ('problem' in read) unparsed.push({ text: entry.text.slice(0, 300), start: cp(entry.start), end: cp(end), reason: read.problem })
    else candidates.push({ index: candidates.length, ...read, ...(recognition ? { recognition } : {}) })
  }
  return { layout, ...(recognition ? { recognition } : {}), candidates, unparsed }
}

/** Who recognised the people and when: the sentence of the first paragraph that says "recognise", and the first date before or in it. */
function recognitionIn(header: string, pinner: Pinner): Quoted<RecognitionRead> | undefined {
  const sentence = sentencesOf(header, 0).find((s) => RECOGNISE.test(s.text))
  if (!sentence) return undefined
  const verb = RECOGNISE.exec(sentence.text)!
  // "… have been recognised as political prisoners by Viasna and …": the organisations follow the verb.
  const passive = /^(?:\s+as\s+political\s+prisoners)?\s+by\s+(.+?)(?:\s+as\s+political|\s*[:.]|$)/iu.exec(sentence.text.slice(verb.index + verb[0].length))
  const by = passive ? organisationsIn(passive[1]) : organisationsIn(sentence.text.slice(0, verb.index))
  if (by.length === 0) return undefined
  const date = firstDate(header.slice(0, sentence.start + sentence.text.length))
  const start = date && date.start < sentence.start && sentence.start - date.start < 300 ? date.start : sentence.start
  const end = sentence.start + sentence.text.length
  const value: RecognitionRead = { by, ...(date ? { date: date.date } : {}) }
  return pinner.pin(value, start, end, end)
}

/** UTF-16 index → code point offset (the same index in a text without astral characters). */
function codePoints(text: string): (index: number) => number {
  if (!/[\uD800-\uDFFF]/u.test(text)) return (index) => index
  return (index) => [...text.slice(0, index)].length
}
