/**
 * Searches whose work grows with the text's length and no faster, whatever the text and the pattern (Knuth,
 * Morris and Pratt's automaton), so that a search's cost can be known, and counted, before it starts.
 *
 * String.prototype.indexOf has no such bound: V8 compares a long pattern again at each place where it nearly
 * matches, and 'a'.repeat(2500) + 'b' + 'a'.repeat(2499) took 3 seconds in a text of a million a's. It is used
 * only where its worst case (text length times pattern length) is itself small, as it is far faster in practice.
 */
const NATIVE_WORST_CASE = 1 << 22

/** A stretch of the pattern found in a text: its length and where it first occurs (-1 when length is 0). */
export interface Found {
  length: number
  at: number
}

/** For each prefix of `codes`: the length of its longest proper prefix that is also its suffix. */
function failureTable(codes: Uint16Array): Int32Array {
  const failure = new Int32Array(codes.length)
  let k = 0
  for (let i = 1; i < codes.length; i++) {
    while (k > 0 && codes[k] !== codes[i]) k = failure[k - 1]
    if (codes[k] === codes[i]) k += 1
    failure[i] = k
  }
  return failure
}

/** A pattern prepared once and searched for in any number of texts. */
export class Pattern {
  private readonly codes: Uint16Array
  private readonly failure: Int32Array

  /** `reversed`: read from its end, for the search of its longest suffix. */
  constructor(
    readonly text: string,
    reversed = false,
  ) {
    this.codes = new Uint16Array(text.length)
    for (let i = 0; i < text.length; i++) this.codes[i] = text.charCodeAt(reversed ? text.length - 1 - i : i)
    this.failure = failureTable(this.codes)
  }

  /** The first index of the pattern in `haystack`, or -1. */
  firstIn(haystack: string): number {
    if (haystack.length * this.text.length <= NATIVE_WORST_CASE) return haystack.indexOf(this.text)
    const found = this.longestPrefixIn(haystack)
    return found.length === this.text.length ? found.at : -1
  }

  /** The longest prefix of the pattern that `haystack` holds, and its first occurrence. */
  longestPrefixIn(haystack: string): Found {
    const { codes, failure } = this
    const m = codes.length
    let k = 0
    let best: Found = { length: 0, at: -1 }
    if (m === 0) return best
    for (let i = 0; i < haystack.length && best.length < m; i++) {
      const c = haystack.charCodeAt(i)
      while (k > 0 && codes[k] !== c) k = failure[k - 1]
      if (codes[k] === c) k += 1
      // Strictly longer only: of equal stretches, the first to end is the first to start.
      if (k > best.length) best = { length: k, at: i - k + 1 }
      if (k === m) k = failure[k - 1]
    }
    return best
  }

  /** Of a pattern built `reversed`: the longest suffix of the original that `haystack` holds, and its first occurrence. */
  longestSuffixIn(haystack: string): Found {
    const { codes, failure } = this
    const m = codes.length
    let k = 0
    let best: Found = { length: 0, at: -1 }
    if (m === 0) return best
    for (let i = haystack.length - 1; i >= 0; i--) {
      const c = haystack.charCodeAt(i)
      while (k > 0 && codes[k] !== c) k = failure[k - 1]
      if (codes[k] === c) k += 1
      // Read backwards, an equal stretch found later starts earlier: it wins.
      if (k > 0 && k >= best.length) best = { length: k, at: i }
      if (k === m) k = failure[k - 1]
    }
    return best
  }
}
