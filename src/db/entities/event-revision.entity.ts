import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

export const EVENT_REVISION_ACTIONS = ['create', 'update', 'review', 'delete', 'restore'] as const
export type EventRevisionAction = (typeof EVENT_REVISION_ACTIONS)[number]

/** One entry of an event's history: appended by every write, never updated. */
@Entity('event_revisions')
export class EventRevisionEntity {
  @PrimaryGeneratedColumn('increment')
  id: number

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string

  @Column({ type: 'integer' })
  version: number

  @Column({ type: 'varchar', length: 20 })
  action: EventRevisionAction

  @Column({ type: 'varchar', length: 200 })
  actor: string

  /** The id of the key that made it (null for the seed, and for older rows whose name no key had alone): its pseudonym is made from it. */
  @Column({ name: 'actor_key', type: 'varchar', length: 36, nullable: true })
  actorKey: string | null

  /** The key's role at the time ('seed' for the seed): what the public sees beside the pseudonym. */
  @Column({ name: 'actor_role', type: 'varchar', length: 20, nullable: true })
  actorRole: string | null

  @Column({ type: 'varchar', length: 30 })
  at: string

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment: string | null

  /** JSON: for each changed field, its `before` and `after` as reads show them; `deletedAt` for a delete or restore, `reviewStatus` for a review. */
  @Column({ type: 'text' })
  diff: string

  /** Whether the event was published after this change: what the events' change feed shows. */
  @Column({ type: 'boolean' })
  public: boolean
}
