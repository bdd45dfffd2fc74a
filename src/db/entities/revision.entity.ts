import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

export const REVISION_ACTIONS = ['create', 'update', 'delete', 'restore', 'review', 'withhold', 'disclose'] as const
export type RevisionAction = (typeof REVISION_ACTIONS)[number]
export type RevisionState = 'published' | 'pending' | 'rejected' | 'deleted'

/** One entry of a record's history. Appended by every write, never updated: history is not rewritten. */
@Entity('revisions')
export class RevisionEntity {
  /** Increasing across the registry, so revisions also order a registry-wide change feed. */
  @PrimaryGeneratedColumn('increment')
  id: number

  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

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

  /** The record's state after this revision: published, pending, rejected or deleted. */
  @Column({ type: 'varchar', length: 20 })
  state: RevisionState

  /** Whether the public change feed shows it: the record was published before or after it. */
  @Column({ type: 'boolean' })
  public: boolean

  /** JSON: for each changed field, its `before` and `after` as reads show them, citations included. */
  @Column({ type: 'text' })
  diff: string
}
