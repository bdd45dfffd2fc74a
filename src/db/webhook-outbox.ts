import type { EntityManager } from 'typeorm'
import { WebhookDeliveryEntity, WebhookEntity } from './entities/webhook.entity'
import { newId } from '../shared/ids'
import { now } from '../shared/time'

/** What a revision is of, as webhooks name it: "record.update", "event.create", … */
export type WebhookSubject = 'record' | 'event'

/** Whether a webhook that asked for `events` wants a change of this kind ("record.*" wants every record's). */
export function wants(events: readonly string[], subject: WebhookSubject, action: string): boolean {
  return events.includes(`${subject}.${action}`) || events.includes(`${subject}.*`)
}

/**
 * Queues the change a revision just recorded for every webhook that wants its kind, in the writer's transaction:
 * the outbox commits with the change or not at all (docs/design.md). Whether the public may see the change is
 * not decided here: the dispatcher sends only what the public change feed shows, when it sends.
 */
export async function queueWebhookDeliveries(manager: EntityManager, subject: WebhookSubject, subjectId: string, version: number, action: string): Promise<void> {
  const webhooks = await manager.find(WebhookEntity, { select: { id: true, events: true } })
  const at = now()
  const rows = webhooks
    .filter((webhook) => wants(JSON.parse(webhook.events) as string[], subject, action))
    .map((webhook) => ({
      messageId: `msg_${newId()}`,
      webhookId: webhook.id,
      subject,
      subjectId,
      version,
      kind: `${subject}.${action}`,
      status: 'queued' as const,
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    }))
  if (rows.length) await manager.insert(WebhookDeliveryEntity, rows)
}
