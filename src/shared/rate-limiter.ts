/**
 * Counts events per key in fixed windows, in memory: enough for one instance, and the same piece
 * limits both writes per API key and failed authentications per client address.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Seconds until the key may act again, or 0 when it is under its limit. */
  retryAfter(key: string, at = Date.now()): number {
    const window = this.windows.get(key)
    if (!window || window.resetAt <= at || window.count < this.limit) return 0
    return Math.ceil((window.resetAt - at) / 1000)
  }

  /** Records one event; returns the seconds to wait when this event went over the limit. */
  hit(key: string, at = Date.now()): number {
    let window = this.windows.get(key)
    if (!window || window.resetAt <= at) {
      if (this.windows.size > 10_000) this.sweep(at)
      window = { count: 0, resetAt: at + this.windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return window.count > this.limit ? Math.ceil((window.resetAt - at) / 1000) : 0
  }

  private sweep(at: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= at) this.windows.delete(key)
  }
}
