import { Column, Entity, PrimaryColumn } from 'typeorm'

export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected'] as const
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number]

/**
 * A volunteer's change to something published (a record, an event), held until an editor approves or rejects it:
 * the columns both kinds of proposal share, each kind in a table of its own.
 */
export abstract class ProposalColumns {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  /** The version the volunteer saw: approval refuses when those fields changed since. */
  @Column({ name: 'base_version', type: 'integer' })
  baseVersion: number

  @Column({ type: 'text' })
  fields: string

  @Column({ type: 'varchar', length: 2000, nullable: true })
  comment: string | null

  @Column({ name: 'proposed_by', type: 'varchar', length: 200 })
  proposedBy: string

  /** The id of the proposer's API key: only they and editors read the proposal. */
  @Column({ name: 'proposed_by_key', type: 'varchar', length: 36, nullable: true })
  proposedByKey: string | null

  @Column({ name: 'proposed_at', type: 'varchar', length: 30 })
  proposedAt: string

  @Column({ type: 'varchar', length: 20 })
  status: ProposalStatus

  @Column({ name: 'decided_by', type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null

  /** The id of the key that made it (null for the seed, and for older rows whose name no key had alone): its pseudonym is made from it. */
  @Column({ name: 'decided_by_key', type: 'varchar', length: 36, nullable: true })
  decidedByKey: string | null

  /** The key's role at the time ('seed' for the seed): what the public sees beside the pseudonym. */
  @Column({ name: 'decided_by_role', type: 'varchar', length: 20, nullable: true })
  decidedByRole: string | null

  @Column({ name: 'decided_at', type: 'varchar', length: 30, nullable: true })
  decidedAt: string | null

  @Column({ name: 'decision_comment', type: 'varchar', length: 2000, nullable: true })
  decisionComment: string | null
}

/** A volunteer's change to a published record. */
@Entity('proposals')
export class ProposalEntity extends ProposalColumns {
  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  /** The events the record would name instead of its own (JSON, a list of ids); null when the proposal leaves them. */
  @Column({ type: 'text', nullable: true })
  events: string | null
}

/** A volunteer's change to a published event. */
@Entity('event_proposals')
export class EventProposalEntity extends ProposalColumns {
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string
}
