import { Column, Entity, PrimaryColumn } from 'typeorm'

export const CLAIM_RANKS = ['preferred', 'normal', 'deprecated'] as const
export type ClaimRank = (typeof CLAIM_RANKS)[number]

/**
 * One value for one field of a cited subject (a record, an event), as some source states it: the columns every
 * subject's claims share. Each subject keeps its claims in a table of its own, with a foreign key to it
 * (docs/design.md §3: one model, per-subject tables); the one writer of them is core/record/subject-writer.ts.
 */
export abstract class ClaimColumns {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 40 })
  field: string

  /** The value as JSON text, so every field shape fits one column on every database. */
  @Column({ type: 'text' })
  value: string

  @Column({ type: 'varchar', length: 20 })
  rank: ClaimRank

  /** Why an editor ranked it so; null until someone does. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null

  /** The subject's version whose revision introduced this claim. */
  @Column({ type: 'integer', nullable: true })
  version: number | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  /** Whether its field is withheld: only editors read it, and search never matches it. */
  @Column({ type: 'boolean', default: false })
  withheld: boolean
}

/** A claim of a record's field. */
@Entity('claims')
export class ClaimEntity extends ClaimColumns {
  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  /** For names: the value folded (case, diacritics, punctuation) to rank searches by spelling. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  folded: string | null
}

/** A claim of an event's field. */
@Entity('event_claims')
export class EventClaimEntity extends ClaimColumns {
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string
}
