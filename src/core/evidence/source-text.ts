/** Characters outside the Basic Multilingual Plane take two UTF-16 units, so their string indices are not code points. */
export const SURROGATE = /[\uD800-\uDFFF]/

/** A source's archived text as code points, the unit citation offsets count in. */
export class SourceText {
  /** Code points, only when some take two UTF-16 units: otherwise the string's own indices are code points. */
  private readonly points: string[] | null

  constructor(private readonly content: string) {
    this.points = SURROGATE.test(content) ? [...content] : null
  }

  get length(): number {
    return this.points ? this.points.length : this.content.length
  }

  slice(start: number, end: number): string {
    return this.points ? this.points.slice(start, end).join('') : this.content.slice(start, end)
  }

  /**
   * The words at a citation's offsets with some text either side, so an auditor reads them in place. The text
   * either side leaves out the `hidden` ranges (the words of withheld values), each shown as [withheld].
   */
  context(start: number, end: number, around = 160, hidden: readonly Range[] = []): { before: string; quote: string; after: string } {
    return {
      before: this.masked(Math.max(0, start - around), start, hidden),
      quote: this.slice(start, end),
      after: this.masked(end, Math.min(this.length, end + around), hidden),
    }
  }

  /** The text from `from` to `to`, each hidden range in it (or overlapping it) replaced by [withheld]. */
  private masked(from: number, to: number, hidden: readonly Range[]): string {
    const overlapping = hidden.filter(([start, end]) => start < to && end > from).sort(([a], [b]) => a - b)
    let text = ''
    let at = from
    for (const [start, end] of overlapping) {
      if (start > at) text += this.slice(at, start)
      if (end > at) {
        if (!text.endsWith(WITHHELD)) text += WITHHELD
        at = end
      }
    }
    return at < to ? text + this.slice(at, to) : text
  }
}

/** A range of code points: [start, end). */
export type Range = [number, number]

const WITHHELD = '[withheld]'
