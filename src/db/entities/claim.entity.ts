import { Column, Entity, PrimaryColumn } from 'typeorm'

export const CLAIM_RANKS = ['preferred', 'normal', 'deprecated'] as const
export type ClaimRank = (typeof CLAIM_RANKS)[number]

/** One value for one field of one record, as some source states it. */
@Entity('claims')
export class ClaimEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

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

  /** For names: the value folded (case, diacritics, punctuation) to rank searches by spelling. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  folded: string | null

  /** The record's version whose revision introduced this claim. */
  @Column({ type: 'integer', nullable: true })
  version: number | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  /** Whether its field is withheld: only editors read it, and search never matches it. */
  @Column({ type: 'boolean', default: false })
  withheld: boolean
}
