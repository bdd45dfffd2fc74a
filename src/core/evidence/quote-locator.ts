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
    // indexOf counts UTF-16 units; the maps count code points.
    const first = [...haystack.slice(0, at)].length
    return { start: this.foldedText.starts[first], end: this.foldedText.ends[first + needle.length - 1] }
  }
}
