import type { FastifyBaseLogger } from 'fastify'
import { Database } from '../../db/database'
import { WebhookDeliveryEntity } from '../../db/entities/webhook.entity'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { AddressPolicy } from './webhook-address'
import { WebhookOutbox } from './webhook-outbox'
import { PublicChange } from './webhook-payload'
import { SendResult, send } from './webhook-sender'
import { signature } from './webhook-signing'

export interface WebhookSettings {
  /** Addresses and CIDR ranges webhooks may reach although not public (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: string[]
  /** Time a receiver has to answer one delivery, in ms. */
  timeoutMs: number
  /** Wait before the first retry, in ms; doubled on each further one (capped at a day). */
  retryBaseMs: number
  /** Attempts before a delivery is given up ('failed'). */
  maxAttempts: number
  /** How often each instance looks for due deliveries, in ms. */
  pollMs: number
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = { allowPrivate: [], timeoutMs: 10_000, retryBaseMs: 30_000, maxAttempts: 10, pollMs: 1000 }

const PENDING = "('queued', 'retrying')"
const BATCH = 20
const DAY_MS = 24 * 3600 * 1000

const later = (ms: number) => new Date(Date.now() + ms).toISOString()

/**
 * Fills the outbox from the change feeds (webhook-outbox.ts) and sends it. Every instance runs one; they share
 * the work through leases: a dispatcher claims due deliveries by setting their lease with a compare-and-set
 * update (only rows whose lease is free or expired), sends them, and records the outcome only while its lease
 * holds. An instance killed mid-send leaves leases that expire, and another (or the restarted one) sends again:
 * at least once, never lost. One subject's deliveries to one webhook go one at a time, in commit order (`seq`):
 * a later one waits while an earlier one is still to be delivered or retried.
 */
export class WebhookDispatcher {
  private readonly policy: AddressPolicy
  private readonly changes: PublicChange
  private readonly outbox: WebhookOutbox
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private stopped = false

  constructor(
    private readonly db: Database,
    private readonly settings: WebhookSettings,
    private readonly log: FastifyBaseLogger,
  ) {
    this.policy = new AddressPolicy(settings.allowPrivate)
    this.changes = new PublicChange(db)
    this.outbox = new WebhookOutbox(db)
  }

  /** A claim outlives the longest attempt, so that a live dispatcher never loses one it is sending. */
  private get leaseMs(): number {
    return 3 * this.settings.timeoutMs
  }

  start(): void {
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((error: unknown) => this.log.warn({ err: error }, 'webhook dispatcher: will try again'))
        .finally(() => {
          this.running = null
          this.schedule(this.settings.pollMs)
        })
    }, ms)
    this.timer.unref()
  }

  /**
   * Queues what the change feeds hold for each webhook, and sends due deliveries, until neither is left (a
   * subject's next delivery becomes due when the one before is done).
   */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      const filled = await this.outbox.fill()
      const claimed = (await this.anyDue()) ? await this.claim() : []
      if (!claimed.length && !filled) return
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)))
    }
  }

  /** A plain read first, so that an idle registry's dispatchers never take the write lock. */
  private async anyDue(): Promise<boolean> {
    const at = now()
    const due = await this.db.get(
      `SELECT seq FROM webhook_deliveries WHERE status IN ${PENDING} AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) LIMIT 1`,
      [at, at],
    )
    return due !== undefined
  }

  private claim(): Promise<WebhookDeliveryEntity[]> {
    const token = newId()
    return this.db.transaction(async (manager) => {
      const at = now()
      const due = (await manager.query(
        this.db.sql(
          `SELECT d.seq FROM webhook_deliveries d
           WHERE d.status IN ${PENDING} AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
               WHERE e.webhook_id = d.webhook_id AND e.subject_id = d.subject_id AND e.seq < d.seq AND e.status IN ${PENDING})
           ORDER BY d.seq LIMIT ${BATCH}`,
        ),
        [at, at],
      )) as { seq: number }[]
      if (!due.length) return []
      const seqs = due.map(({ seq }) => Number(seq))
      // Compare and set: a row another dispatcher leased meanwhile keeps its lease.
      await manager.query(
        this.db.sql(
          `UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ?
           WHERE seq IN (${seqs.map(() => '?').join(', ')}) AND status IN ${PENDING} AND (lease_until IS NULL OR lease_until < ?)`,
        ),
        [token, later(this.leaseMs), ...seqs, at],
      )
      return manager.find(WebhookDeliveryEntity, { where: { leaseOwner: token }, order: { seq: 'ASC' } })
    })
  }

  private async deliver(delivery: WebhookDeliveryEntity): Promise<void> {
    const webhook = await this.db.get<{ url: string; secret: string }>('SELECT url, secret FROM webhooks WHERE id = ?', [delivery.webhookId])
    const change = webhook ? await this.changes.of(delivery.subject, delivery.subjectId, delivery.version) : null
    if (!webhook || !change) return this.record(delivery, { status: 'skipped' })
    const body = JSON.stringify({ type: delivery.kind, timestamp: change.at, data: change })
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'registry-webhooks/1',
      'webhook-id': delivery.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature(webhook.secret, delivery.messageId, timestamp, body),
    }
    const result = await send(webhook.url, headers, body, this.policy, this.settings.timeoutMs)
    await this.record(delivery, this.outcome(delivery, result))
  }

  /** Delivered on a 2xx; otherwise retried after retryBaseMs · 2^(attempts − 1), until maxAttempts. */
  private outcome(delivery: WebhookDeliveryEntity, result: SendResult): Partial<WebhookDeliveryEntity> {
    const attempts = delivery.attempts + 1
    const at = now()
    const answered = 'status' in result ? { lastStatus: result.status, lastError: null } : { lastStatus: null, lastError: result.error }
    if ('status' in result && result.status >= 200 && result.status < 300) return { status: 'delivered', attempts, lastAttemptAt: at, deliveredAt: at, ...answered }
    const givenUp = attempts >= this.settings.maxAttempts
    const wait = Math.min(DAY_MS, this.settings.retryBaseMs * 2 ** (attempts - 1))
    return { status: givenUp ? 'failed' : 'retrying', attempts, lastAttemptAt: at, nextAttemptAt: givenUp ? at : later(wait), ...answered }
  }

  /** Stores the outcome only while this dispatcher's lease holds: once it expired, another owns the delivery. */
  private async record(delivery: WebhookDeliveryEntity, outcome: Partial<WebhookDeliveryEntity>): Promise<void> {
    await this.db.transaction((manager) =>
      manager.update(WebhookDeliveryEntity, { seq: delivery.seq, leaseOwner: delivery.leaseOwner! }, { ...outcome, leaseOwner: null, leaseUntil: null }),
    )
  }
}
