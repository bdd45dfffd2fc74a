import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm'

/** A URL a site registered, the kinds of change it wants, and the secret its deliveries are signed with. */
@Entity('webhooks')
export class WebhookEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 2000 })
  url: string

  /** JSON list of kinds: "record.update", "record.*", "event.create", … */
  @Column({ type: 'varchar', length: 2000 })
  events: string

  @Column({ type: 'varchar', length: 100 })
  secret: string

  /** The API key (id) that registered it. */
  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  /** The seq of the last entry of the records' change feed (GET /v1/changes) already turned into deliveries. */
  @Column({ name: 'record_changes_seq', type: 'integer', default: 0 })
  recordChangesSeq: number

  /** The same for the events' change feed (GET /v1/changes/events). */
  @Column({ name: 'event_changes_seq', type: 'integer', default: 0 })
  eventChangesSeq: number
}

export const DELIVERY_STATUSES = ['queued', 'retrying', 'delivered', 'failed', 'skipped'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** One change to send to one webhook: queued by the dispatcher from the change feeds (modules/webhooks/webhook-outbox.ts). */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  /** Grows in commit order: deliveries of one subject go out in this order. */
  @PrimaryGeneratedColumn('increment')
  seq: number

  @Column({ name: 'message_id', type: 'varchar', length: 60 })
  messageId: string

  @Column({ name: 'webhook_id', type: 'varchar', length: 36 })
  webhookId: string

  @Column({ type: 'varchar', length: 10 })
  subject: 'record' | 'event'

  @Column({ name: 'subject_id', type: 'varchar', length: 36 })
  subjectId: string

  @Column({ type: 'integer' })
  version: number

  @Column({ type: 'varchar', length: 40 })
  kind: string

  @Column({ type: 'varchar', length: 20 })
  status: DeliveryStatus

  @Column({ type: 'integer', default: 0 })
  attempts: number

  @Column({ name: 'next_attempt_at', type: 'varchar', length: 30 })
  nextAttemptAt: string

  @Column({ name: 'lease_owner', type: 'varchar', length: 36, nullable: true })
  leaseOwner: string | null

  @Column({ name: 'lease_until', type: 'varchar', length: 30, nullable: true })
  leaseUntil: string | null

  @Column({ name: 'last_attempt_at', type: 'varchar', length: 30, nullable: true })
  lastAttemptAt: string | null

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null

  @Column({ name: 'delivered_at', type: 'varchar', length: 30, nullable: true })
  deliveredAt: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
