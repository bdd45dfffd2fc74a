import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

export const REVISION_ACTIONS = ['create', 'update', 'delete', 'restore', 'review', 'withhold', 'disclose'] as const
export type RevisionAction = (typeof REVISION_ACTIONS)[number]
/** What an event's revision may do: an event's values are not withheld (yet), so no withhold or disclose. */
export const EVENT_REVISION_ACTIONS = ['create', 'update', 'review', 'delete', 'restore'] as const
export type EventRevisionAction = (typeof EVENT_REVISION_ACTIONS)[number]
export type RevisionState = 'published' | 'pending' | 'rejected' | 'deleted'

/**
 * One entry of a cited subject's history (a record's, an event's): appended by every write, never updated, history
 * is not rewritten. The columns every subject's revisions share; each subject has its table, whose ids order its
 * change feed (and the cursors subscribers hold into it).
 */
export abstract class RevisionColumns {
  /** Increasing across the subject's table, so revisions also order its registry-wide change feed. */
  @PrimaryGeneratedColumn('increment')
  id: number

  @Column({ type: 'integer' })
  version: number

  @Column({ type: 'varchar', length: 20 })
  action: RevisionAction

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

  /** Whether the public change feed shows it: the subject was published before or after it. */
  @Column({ type: 'boolean' })
  public: boolean

  /** JSON: for each changed field, its `before` and `after` as reads show them, citations included; state changes too. */
  @Column({ type: 'text' })
  diff: string
}

/** A revision of a record. */
@Entity('revisions')
export class RevisionEntity extends RevisionColumns {
  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  /** The record's state after this revision: published, pending, rejected or deleted. */
  @Column({ type: 'varchar', length: 20 })
  state: RevisionState
}

/** A revision of an event. */
@Entity('event_revisions')
export class EventRevisionEntity extends RevisionColumns {
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string
}
