import type { Database } from '../../db/database'

/** Expired windows are deleted now and then, not at every hit. */
const SWEEP_EVERY_HITS = 1_000

/** Where a key stands in its window after a hit. */
export interface Quota {
  /** Events left before the limit. */
  remaining: number
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number
  /** Seconds to wait when this hit went over the limit, else 0. */
  retryAfter: number
}

/**
 * Counts events per key in fixed windows, kept in the database (table rate_limits), so that a limit holds
 * across every instance of the API: writes per API key, failed authentications per client address. One
 * statement counts a hit (an upsert that starts a new window when the old one has ended), atomic on both
 * engines.
 */
export class RateLimiter {
  private hits = 0

  constructor(
    private readonly db: Database,
    /** What is counted (writes, auth-failures): one table holds every limit's windows. */
    private readonly kind: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Seconds until the key may act again, or 0 when it is under its limit. */
  async retryAfter(key: string, at = Date.now()): Promise<number> {
    const window = await this.db.get<{ count: number; resetAt: number }>('SELECT count, reset_at AS "resetAt" FROM rate_limits WHERE bucket = ?', [
      this.bucket(key),
    ])
    if (!window || window.resetAt <= at || window.count < this.limit) return 0
    return Math.ceil((window.resetAt - at) / 1000)
  }

  /** Records one event; returns where the key stands, with the seconds to wait when this event went over the limit. */
  async hit(key: string, at = Date.now()): Promise<Quota> {
    const sql = this.db.sql(
      `INSERT INTO rate_limits (bucket, count, reset_at) VALUES (?, 1, ?)
       ON CONFLICT (bucket) DO UPDATE SET
         count = CASE WHEN rate_limits.reset_at <= ? THEN 1 ELSE rate_limits.count + 1 END,
         reset_at = CASE WHEN rate_limits.reset_at <= ? THEN ? ELSE rate_limits.reset_at END
       RETURNING count, reset_at AS "resetAt"`,
    )
    const sweep = ++this.hits % SWEEP_EVERY_HITS === 0
    const [window] = await this.db.transaction(async (manager) => {
      if (sweep) await manager.query(this.db.sql('DELETE FROM rate_limits WHERE reset_at <= ?'), [at])
      return (await manager.query(sql, [this.bucket(key), at + this.windowMs, at, at, at + this.windowMs])) as { count: number; resetAt: number }[]
    })
    const count = Number(window.count)
    const resetSeconds = Math.ceil((Number(window.resetAt) - at) / 1000)
    return { remaining: Math.max(0, this.limit - count), resetSeconds, retryAfter: count > this.limit ? resetSeconds : 0 }
  }

  /**
   * The RateLimit-Policy and RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (-10): the policy
   * named by what it counts, its quota `q` per window of `w` seconds; then the `r` events left and the `t` seconds
   * until the window ends. `"writes";q=120;w=60` and `"writes";r=117;t=42`.
   */
  headers({ remaining, resetSeconds }: Pick<Quota, 'remaining' | 'resetSeconds'>): Record<'ratelimit-policy' | 'ratelimit', string> {
    return {
      'ratelimit-policy': `"${this.kind}";q=${this.limit};w=${Math.ceil(this.windowMs / 1000)}`,
      ratelimit: `"${this.kind}";r=${remaining};t=${resetSeconds}`,
    }
  }

  private bucket(key: string): string {
    return `${this.kind}:${key}`
  }
}
