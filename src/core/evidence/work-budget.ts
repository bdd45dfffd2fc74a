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
let turnsGivenInProcess = 0

/**
 * How long one request's searches may hold the event loop before other requests get their turn. A search is
 * bounded (one text, once), but a write of many quotes is a series of them: between two, after this long, the
 * write waits for the next turn of the loop, so that a reader is never kept waiting behind a whole write's work
 * (the benchmark's adversarial scenario: a reader's p99 under 100 ms).
 */
const SLICE_MS = 8

/** What one request may still spend; each search asks before it starts, so none is cut off halfway. */
export class WorkBudget {
  private spent = 0
  private sliceStart = performance.now()

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

  /** Lets other requests run when this one has held the event loop for SLICE_MS since it last did. */
  async yieldTurn(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return
    await new Promise((resolve) => setImmediate(resolve))
    turnsGivenInProcess++
    this.sliceStart = performance.now()
  }
}

/** The search work done since the process started: tests measure a request's work by the difference. */
export const searchWorkDone = (): number => spentInProcess

/** How often searches let other requests run since the process started (yieldTurn), for tests likewise. */
export const turnsGiven = (): number => turnsGivenInProcess
