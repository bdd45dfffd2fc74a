/**
 * Finds a quote in a source's archived text (docs/design.md §2, invariant 2).
 *
 * Matching forgives only what the invariant allows: Unicode normalisation (NFC), typographic quotes
 * and dashes, and runs of white space. Everything else, including letter case, must be exact, because
 * a citation claims to reproduce the source's words.
 *
 * Offsets count Unicode code points (not UTF-16 units), so that `text[start:end]` in Python and
 * `[...text].slice(start, end).join('')` in JavaScript both give back the matched words.
 */

import { SURROGATE } from './source-text'
import { Found, Pattern } from './text-search'
import { WorkBudget } from './work-budget'

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC]/g
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g
const WHITE_SPACE = /^\s+$/u
// A base character with the combining marks that follow it: the unit NFC may merge into one character.
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu

interface FoldedText {
  text: string
  /** For each code point of `text`: where it starts, and ends, in the original (in code points). */
  starts: Int32Array
  ends: Int32Array
  /** Whether some of its characters take two UTF-16 units, so that its indices are not code points. */
  astral: boolean
}

function foldCluster(cluster: string): string {
  return cluster.normalize('NFC').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-')
}

// What each of the first 768 characters folds to when no combining mark follows it: one UTF-16 unit, worked out
// once by the rules above, so that the bulk of most texts (Latin letters, digits, punctuation) is folded without
// a regular expression or a normalisation per character.
const SIMPLE = 0x300
const SIMPLE_FOLDS = Uint16Array.from({ length: SIMPLE }, (_, code) => foldCluster(String.fromCharCode(code)).charCodeAt(0))
const SIMPLE_SPACES = Uint8Array.from({ length: SIMPLE }, (_, code) => (WHITE_SPACE.test(String.fromCharCode(code)) ? 1 : 0))
const CLUSTER_AT = new RegExp(CLUSTER.source, 'uy')

/** Folds `original` in one pass: its length in UTF-16 units (and a little more, for what NFC lengthens) of work. */
function fold(original: string): FoldedText {
  const n = original.length
  let out = new Uint16Array(n + 16)
  let starts = new Int32Array(n + 16)
  let ends = new Int32Array(n + 16)
  let written = 0 // code points of the folded text
  let units = 0 // UTF-16 units of the folded text
  let position = 0 // code points of the original read
  const room = (more: number) => {
    if (units + more <= out.length && written + more <= starts.length) return
    const grow = <T extends Uint16Array | Int32Array>(array: T, size: number): T => {
      const bigger = new (array.constructor as new (size: number) => T)(size)
      bigger.set(array)
      return bigger
    }
    out = grow(out, 2 * out.length + more)
    starts = grow(starts, 2 * starts.length + more)
    ends = grow(ends, 2 * ends.length + more)
  }
  const space = (length: number) => {
    if (written > 0 && out[units - 1] === 32) {
      ends[written - 1] = position + length
    } else {
      room(1)
      out[units++] = 32
      starts[written] = position
      ends[written++] = position + length
    }
  }
  for (let i = 0; i < n; ) {
    const code = original.charCodeAt(i)
    // Combining marks all lie at U+0300 and above: a character below it, not followed by one, is a cluster alone.
    if (code < SIMPLE && (i + 1 === n || original.charCodeAt(i + 1) < SIMPLE)) {
      if (SIMPLE_SPACES[code]) {
        space(1)
      } else {
        room(1)
        out[units++] = SIMPLE_FOLDS[code]
        starts[written] = position
        ends[written++] = position + 1
      }
      position += 1
      i += 1
      continue
    }
    CLUSTER_AT.lastIndex = i
    const cluster = CLUSTER_AT.exec(original)![0]
    const length = [...cluster].length
    if (WHITE_SPACE.test(cluster)) {
      space(length)
    } else {
      const folded = foldCluster(cluster)
      room(folded.length)
      for (const char of folded) {
        for (let k = 0; k < char.length; k++) out[units++] = char.charCodeAt(k)
        starts[written] = position
        ends[written++] = position + length
      }
    }
    position += length
    i += cluster.length
  }
  let text = ''
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let at = 0; at < units; at += 8192) text += String.fromCharCode(...out.subarray(at, Math.min(units, at + 8192)))
  // Typed arrays: a cached text keeps 8 bytes per character of maps, not the ~20 of a plain array.
  return { text, starts: starts.slice(0, written), ends: ends.slice(0, written), astral: SURROGATE.test(text) }
}

export interface QuoteLocation {
  start: number
  end: number
}

/** Where a quote that is not in the text comes closest to it, and where the two part. */
export interface NearMiss extends QuoteLocation {
  /** The source's words from start to end (code points of the original text). */
  passage: string
  /**
   * Read from the quote's start: what quote and source agree on, then how each goes on where they part
   * (folded). Read from its end (the slip is near the start): what they agree on, and what each has before it.
   */
  readFrom: 'start' | 'end'
  agreed: string
  quoteHas: string
  sourceHas: string
}

const WORD = /[\p{L}\p{N}]/u
// How far a word is followed to its edge: a "word" longer than this (a URL, a run of digits) is cut.
const LONGEST_WORD = 40

/** The start of the word `at` is inside (or `at`, between words). */
function wordStart(text: string, at: number): number {
  let start = at
  while (start > 0 && at - start < LONGEST_WORD && WORD.test(text[start - 1]) && WORD.test(text[start] ?? '')) start--
  return start
}

/** The end of the word that `at` is inside (or `at`, between words). */
function wordEnd(text: string, at: number): number {
  let end = Math.min(at, text.length)
  while (end < text.length && end - at < LONGEST_WORD && end > 0 && WORD.test(text[end - 1]) && WORD.test(text[end])) end++
  return end
}

// A near miss shorter than this is chance, not the passage the volunteer meant.
const MIN_NEAR_MISS = 8
const SHOWN = 24

/** The folded form of a quote, trimmed: what is searched for, and what decides whether a quote is empty. */
export function foldQuote(quote: string): string {
  return fold(quote).text.trim()
}

/** Thrown when a search would take more than what is left of its request's budget; nothing was searched. */
export class SearchBudgetSpent extends Error {
  constructor() {
    super('the search budget of this request is spent')
  }
}

/**
 * Locates quotes in one source's text; built once per text, so many quotes are located cheaply. Every search
 * takes its work from the request's budget before it starts (work-budget.ts), and is linear in the text.
 */
export class QuoteLocator {
  private foldedText: FoldedText | null = null
  private readonly astral: boolean

  constructor(private readonly text: string) {
    this.astral = SURROGATE.test(text)
  }

  /** The length of the text, in UTF-16 units: what it costs to read once. */
  get length(): number {
    return this.text.length
  }

  /** The first occurrence of the quote, in code points of the original text; null when absent. */
  locate(quote: string, budget = new WorkBudget()): QuoteLocation | null {
    return this.search(quote, budget).at
  }

  /**
   * The first occurrence of the quote; for one that is not in the text, also the longest stretch of its beginning
   * that the folded text holds, which the same scan found and nearest() starts from.
   */
  search(quote: string, budget = new WorkBudget()): { at: QuoteLocation | null; prefix?: Found } {
    // Most quotes are copied exactly: find those without folding the whole text.
    const exact = quote.trim()
    const index = exact ? firstIn(this.text, exact, budget) : -1
    if (index >= 0) {
      const start = this.astral ? [...this.text.slice(0, index)].length : index
      return { at: { start, end: start + (this.astral ? [...exact].length : exact.length) } }
    }
    spend(budget, quote.length)
    const needle = foldQuote(quote)
    if (needle.length === 0) return { at: null }
    const prefix = this.longestPrefix(needle, budget)
    return prefix.length === needle.length ? { at: this.original(prefix.at, needle.length) } : { at: null, prefix }
  }

  /**
   * For a quote that is not in the text: the passage it comes closest to, found by the longest stretch of its
   * beginning (or, for a slip near its start, of its end) that the text holds, as folded. Null when the text
   * shares no stretch of at least a few words' length with it.
   */
  nearest(quote: string, budget = new WorkBudget(), found?: Found): NearMiss | null {
    spend(budget, quote.length)
    const needle = foldQuote(quote)
    const prefix = found ?? this.longestPrefix(needle, budget)
    const haystack = this.foldedText!.text
    if (prefix.length >= MIN_NEAR_MISS) {
      const range = this.wholeWords(this.original(prefix.at, Math.min(needle.length, haystack.length - prefix.at)))
      // Parted at the start of the word the slip is in: the words each has from there are read whole.
      const parted = wordStart(needle, prefix.length)
      return {
        ...range,
        passage: this.slice(range),
        readFrom: 'start',
        agreed: needle.slice(wordStart(needle, Math.max(0, parted - SHOWN)), parted).trim(),
        quoteHas: needle.slice(parted, wordEnd(needle, parted + SHOWN)).trim(),
        sourceHas: haystack.slice(prefix.at + parted, wordEnd(haystack, prefix.at + parted + SHOWN)).trim(),
      }
    }
    // A slip near the start: the longest stretch of the quote's end that the text holds.
    spend(budget, haystack.length)
    const suffix = new Pattern(needle, true).longestSuffixIn(haystack)
    if (suffix.length < MIN_NEAR_MISS) return null
    const rest = needle.length - suffix.length
    const from = Math.max(0, suffix.at - rest)
    const range = this.wholeWords(this.original(from, suffix.at + suffix.length - from))
    // Parted at the end of the word the slip is in, for the same reason.
    const parted = wordEnd(needle, rest)
    const inSource = suffix.at + parted - rest
    return {
      ...range,
      passage: this.slice(range),
      readFrom: 'end',
      agreed: needle.slice(parted, wordEnd(needle, parted + SHOWN)).trim(),
      quoteHas: needle.slice(wordStart(needle, Math.max(0, rest - SHOWN)), parted).trim(),
      sourceHas: haystack.slice(wordStart(haystack, Math.max(0, suffix.at - Math.min(rest, SHOWN))), inSource).trim(),
    }
  }

  /** A range widened to whole words, so that a passage shown to a person does not begin or end inside a word. */
  private wholeWords({ start, end }: QuoteLocation): QuoteLocation {
    // Code points are UTF-16 units only in a text without astral characters; such a rare text keeps its range.
    if (this.astral) return { start, end }
    return { start: wordStart(this.text, start), end: wordEnd(this.text, end) }
  }

  /** The longest stretch of the needle's beginning in the folded text: the whole text must fit in the budget. */
  private longestPrefix(needle: string, budget: WorkBudget): Found {
    const haystack = this.folded(budget).text
    if (!budget.fits(haystack.length + needle.length)) throw new SearchBudgetSpent()
    const prefix = new Pattern(needle).longestPrefixIn(haystack)
    // A scan that found the whole needle stopped at its end.
    spend(budget, (prefix.length === needle.length ? prefix.at + needle.length : haystack.length) + needle.length)
    return prefix
  }

  /** The folded text, folded on first need (a read of the text, taken from the budget) and kept. */
  private folded(budget: WorkBudget): FoldedText {
    if (!this.foldedText) {
      spend(budget, this.text.length)
      this.foldedText = fold(this.text)
    }
    return this.foldedText
  }

  /** The original text's code-point range of `length` UTF-16 units of the folded text from `at`. */
  private original(at: number, length: number): QuoteLocation {
    const { text, starts, ends, astral } = this.foldedText!
    // indexOf counts UTF-16 units; the maps count code points.
    const first = astral ? [...text.slice(0, at)].length : at
    const count = Math.max(1, astral ? [...text.slice(at, at + length)].length : Math.min(length, text.length - at))
    return { start: starts[first], end: ends[first + count - 1] }
  }

  private slice({ start, end }: QuoteLocation): string {
    return this.astral ? [...this.text].slice(start, end).join('') : this.text.slice(start, end)
  }
}

function spend(budget: WorkBudget, units: number): void {
  if (!budget.take(units)) throw new SearchBudgetSpent()
}

/** The first index of `pattern` in `text`: the whole text must fit in the budget, and what was not read is not spent. */
function firstIn(text: string, pattern: string, budget: WorkBudget): number {
  if (!budget.fits(text.length + pattern.length)) throw new SearchBudgetSpent()
  const at = new Pattern(pattern).firstIn(text)
  spend(budget, (at >= 0 ? at + pattern.length : text.length) + pattern.length)
  return at
}
