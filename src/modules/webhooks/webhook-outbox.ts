import { Database } from '../../db/database'
import { WebhookDeliveryEntity, WebhookEntity } from '../../db/entities/webhook.entity'
import { encodeCursor } from '../../shared/cursor'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { ChangesService } from '../../core/feeds/record-feed'
import { EventFeed } from '../../core/feeds/event-feed'

/** What a revision is of, as webhooks name it: "record.update", "event.create", … */
export type WebhookSubject = 'record' | 'event'

/** Whether a webhook that asked for `events` wants a change of this kind ("record.*" wants every record's). */
export function wants(events: readonly string[], subject: WebhookSubject, action: string): boolean {
  return events.includes(`${subject}.${action}`) || events.includes(`${subject}.*`)
}

/** An entry of a change feed, as much of it as a delivery row keeps (the body is read from the feed when sent). */
interface FeedChange {
  seq: number
  subjectId: string
  version: number
  action: string
}

interface Feed {
  subject: WebhookSubject
  /** The webhooks column that holds how far each webhook has read this feed. */
  cursor: 'recordChangesSeq' | 'eventChangesSeq'
  after(seq: number): Promise<FeedChange[]>
}

/** What one webhook gets from one feed in one fill: the entries it wants, and the cursor moved past all it read. */
interface Step {
  webhookId: string
  feed: Feed
  from: number
  to: number
  changes: FeedChange[]
}

/** Entries read from a feed at a time: a webhook far behind catches up over several fills. */
const PAGE = 100

/**
 * The change feeds are the outbox (docs/design.md): writes know nothing of webhooks. Each webhook holds a cursor per
 * feed (GET /v1/changes, GET /v1/changes/events); a fill reads the entries after it through the feed's own code,
 * so only public changes are ever queued, and in one write transaction inserts a delivery row for each kind the
 * webhook wants and moves the cursor past every entry read. The feeds are gapless and in commit order (revisions
 * are numbered under the write lock), so an entry read once is never followed by an earlier one.
 */
export class WebhookOutbox {
  private readonly feeds: Feed[]

  constructor(private readonly db: Database) {
    const records = new ChangesService(db)
    const events = new EventFeed(db)
    this.feeds = [
      {
        subject: 'record',
        cursor: 'recordChangesSeq',
        after: async (seq) => (await records.page(encodeCursor([seq]), PAGE)).data.map((entry) => ({ ...entry, subjectId: entry.recordId })),
      },
      {
        subject: 'event',
        cursor: 'eventChangesSeq',
        after: async (seq) => (await events.page(encodeCursor([seq]), PAGE)).data.map((entry) => ({ ...entry, subjectId: entry.eventId })),
      },
    ]
  }

  /**
   * Queues what the feeds hold after each webhook's cursors. Whether there was anything to read (then there may
   * be more: call again). The feeds are read before the write lock is taken, so an idle registry never takes it.
   */
  async fill(): Promise<boolean> {
    const webhooks = await this.db.all<{ id: string; events: string; recordChangesSeq: number; eventChangesSeq: number }>(
      'SELECT id, events, record_changes_seq AS "recordChangesSeq", event_changes_seq AS "eventChangesSeq" FROM webhooks',
    )
    const steps: Step[] = []
    for (const feed of this.feeds) {
      // Webhooks that keep up share a cursor: the feed is read once for all of them.
      const pages = new Map<number, FeedChange[]>()
      for (const webhook of webhooks) {
        const from = Number(webhook[feed.cursor])
        if (!pages.has(from)) pages.set(from, await feed.after(from))
        const read = pages.get(from)!
        if (!read.length) continue
        const kinds = JSON.parse(webhook.events) as string[]
        const changes = read.filter((change) => wants(kinds, feed.subject, change.action))
        steps.push({ webhookId: webhook.id, feed, from, to: read[read.length - 1].seq, changes })
      }
    }
    if (!steps.length) return false
    await this.db.transaction(async (manager) => {
      const at = now()
      for (const { webhookId, feed, from, to, changes } of steps) {
        // Compare and set: when another instance moved this cursor since it was read (and queued these entries),
        // or the webhook was deleted, nothing is queued twice or for nobody.
        const moved = await manager.update(WebhookEntity, { id: webhookId, [feed.cursor]: from }, { [feed.cursor]: to })
        if (!moved.affected || !changes.length) continue
        await manager.insert(
          WebhookDeliveryEntity,
          changes.map(({ subjectId, version, action }) => ({
            messageId: `msg_${newId()}`,
            webhookId,
            subject: feed.subject,
            subjectId,
            version,
            kind: `${feed.subject}.${action}`,
            status: 'queued' as const,
            attempts: 0,
            nextAttemptAt: at,
            createdAt: at,
          })),
        )
      }
    })
    return true
  }
}
