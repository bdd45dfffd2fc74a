/**
 * Finds a quote in a source's archived text (DESIGN.md §2, invariant 2).
 *
 * Matching forgives only what the invariant allows: Unicode normalisation (NFC), typographic quotes
 * and dashes, and runs of white space. Everything else, including letter case, must be exact, because
 * a citation claims to reproduce the source's words.
 *
 * Offsets count Unicode code points (not UTF-16 units), so that `text[start:end]` in Python and
 * `[...text].slice(start, end).join('')` in JavaScript both give back the matched words.
 */

import { SURROGATE } from './source-text'

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
}

function foldCluster(cluster: string): string {
  return cluster.normalize('NFC').replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-')
}

function fold(original: string): FoldedText {
  const chars: string[] = []
  const starts: number[] = []
  const ends: number[] = []
  let position = 0
  for (const cluster of original.match(CLUSTER) ?? []) {
    const length = [...cluster].length
    if (WHITE_SPACE.test(cluster)) {
      if (chars.length > 0 && chars[chars.length - 1] === ' ') {
        ends[ends.length - 1] = position + length
      } else {
        chars.push(' ')
        starts.push(position)
        ends.push(position + length)
      }
    } else {
      for (const char of foldCluster(cluster)) {
        chars.push(char)
        starts.push(position)
        ends.push(position + length)
      }
    }
    position += length
  }
  // Typed arrays: a cached text keeps 8 bytes per character of maps, not the ~20 of a plain array.
  return { text: chars.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) }
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

// A near miss shorter than this is chance, not the passage the volunteer meant.
const MIN_NEAR_MISS = 8
const SHOWN = 24

/** The folded form of a quote, trimmed: what is searched for, and what decides whether a quote is empty. */
export function foldQuote(quote: string): string {
  return fold(quote).text.trim()
}

/** Locates quotes in one source's text; built once per text, so many quotes are located cheaply. */
export class QuoteLocator {
  private foldedText: FoldedText | null = null
  private readonly astral: boolean

  constructor(private readonly text: string) {
    this.astral = SURROGATE.test(text)
  }

  /** The first occurrence of the quote, in code points of the original text; null when absent. */
  locate(quote: string): QuoteLocation | null {
    // Most quotes are copied exactly: find those without folding the whole text.
    const exact = quote.trim()
    const index = exact ? this.text.indexOf(exact) : -1
    if (index >= 0) {
      const start = this.astral ? [...this.text.slice(0, index)].length : index
      return { start, end: start + (this.astral ? [...exact].length : exact.length) }
    }
    const needle = [...foldQuote(quote)]
    if (needle.length === 0) return null
    this.foldedText ??= fold(this.text)
    const haystack = this.foldedText.text
    const at = haystack.indexOf(needle.join(''))
    if (at < 0) return null
    return this.original(at, needle.join('').length)
  }

  /**
   * For a quote that is not in the text: the passage it comes closest to, found by the longest stretch of its
   * beginning (or, for a slip near its start, of its end) that the text holds, as folded. Null when the text
   * shares no stretch of at least a few words' length with it.
   */
  nearest(quote: string): NearMiss | null {
    const needle = foldQuote(quote)
    this.foldedText ??= fold(this.text)
    const haystack = this.foldedText.text
    const prefix = longestFound(needle.length, (n) => haystack.indexOf(needle.slice(0, n)))
    if (prefix.length >= MIN_NEAR_MISS) {
      const range = this.original(prefix.at, Math.min(needle.length, haystack.length - prefix.at))
      const parted = prefix.at + prefix.length
      return {
        ...range,
        passage: this.slice(range),
        readFrom: 'start',
        agreed: needle.slice(Math.max(0, prefix.length - SHOWN), prefix.length),
        quoteHas: needle.slice(prefix.length, prefix.length + SHOWN),
        sourceHas: haystack.slice(parted, parted + SHOWN),
      }
    }
    // A slip near the start: the longest stretch of the quote's end that the text holds.
    const suffix = longestFound(needle.length, (n) => haystack.indexOf(needle.slice(needle.length - n)))
    if (suffix.length < MIN_NEAR_MISS) return null
    const rest = needle.length - suffix.length
    const from = Math.max(0, suffix.at - rest)
    const range = this.original(from, suffix.at + suffix.length - from)
    return {
      ...range,
      passage: this.slice(range),
      readFrom: 'end',
      agreed: needle.slice(rest, rest + SHOWN),
      quoteHas: needle.slice(Math.max(0, rest - SHOWN), rest),
      sourceHas: haystack.slice(Math.max(0, suffix.at - Math.min(rest, SHOWN)), suffix.at),
    }
  }

  /** The original text's code-point range of `length` UTF-16 units of the folded text from `at`. */
  private original(at: number, length: number): QuoteLocation {
    const { text, starts, ends } = this.foldedText!
    // indexOf counts UTF-16 units; the maps count code points.
    const first = [...text.slice(0, at)].length
    const count = Math.max(1, [...text.slice(at, at + length)].length)
    return { start: starts[first], end: ends[first + count - 1] }
  }

  private slice({ start, end }: QuoteLocation): string {
    return this.astral ? [...this.text].slice(start, end).join('') : this.text.slice(start, end)
  }
}

/** The longest n (up to max) for which find(n) is an index, and that index: found prefixes of a found prefix are found too. */
function longestFound(max: number, find: (n: number) => number): { length: number; at: number } {
  let low = 0
  let high = max
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (find(middle) >= 0) low = middle
    else high = middle - 1
  }
  return { length: low, at: low > 0 ? find(low) : -1 }
}


