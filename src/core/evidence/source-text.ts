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

  /** The words at a citation's offsets with some text either side, so an auditor reads them in place. */
  context(start: number, end: number, around = 160): { before: string; quote: string; after: string } {
    return {
      before: this.slice(Math.max(0, start - around), start),
      quote: this.slice(start, end),
      after: this.slice(end, end + around),
    }
  }
}
