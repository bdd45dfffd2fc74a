/** A source's archived text as code points, the unit citation offsets count in. */
export class SourceText {
  private readonly points: string[]

  constructor(content: string) {
    this.points = [...content]
  }

  get length(): number {
    return this.points.length
  }

  slice(start: number, end: number): string {
    return this.points.slice(start, end).join('')
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
