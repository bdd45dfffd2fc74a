/**
 * The search work one request may do on archived texts (docs/design.md §2, invariant 10: no request can hurt
 * another), counted in characters a search steps over: a text searched once for a quote costs its length.
 *
 * 64 million characters are 64 whole searches of the largest source (1,000,000 characters), a few tenths of a
 * second at most: enough for 20 quotes missing from it (an exact and a folded search each) and their closest
 * passages, while an ordinary record (a few quotes in articles of 10,000 characters) uses well under 1% of it.
 * Without a bound, one write of quotes that nearly match a large source held every other request for seconds.
 */
export const SEARCH_BUDGET = 64_000_000

let spentInProcess = 0

/** What one request may still spend; each search asks before it starts, so none is cut off halfway. */
export class WorkBudget {
  private spent = 0

  constructor(private readonly limit = SEARCH_BUDGET) {}

  /** Whether `units` more would fit: asked with a search's most before it starts, when it may stop earlier. */
  fits(units: number): boolean {
    return this.spent + units <= this.limit
  }

  /** Takes `units` from the budget when they fit, and says whether they did. */
  take(units: number): boolean {
    if (this.spent + units > this.limit) return false
    this.spent += units
    spentInProcess += units
    return true
  }
}

/** The search work done since the process started: tests measure a request's work by the difference. */
export const searchWorkDone = (): number => spentInProcess
