import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * The evidence for a claim: a source and its exact words, with where they stand in its archived text. The same
 * columns for every subject; each subject's citations sit beside its claims (claim_id is a foreign key to them).
 */
export abstract class CitationColumns {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'claim_id', type: 'varchar', length: 36 })
  claimId: string

  @Column({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string

  @Column({ type: 'text' })
  quote: string

  /** Code-point offsets of the quote in the source's archived text; null when the source has none. */
  @Column({ name: 'quote_start', type: 'integer', nullable: true })
  quoteStart: number | null

  @Column({ name: 'quote_end', type: 'integer', nullable: true })
  quoteEnd: number | null

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}

/** A citation of a record's claim. */
@Entity('citations')
export class CitationEntity extends CitationColumns {}

/** A citation of an event's claim. */
@Entity('event_citations')
export class EventCitationEntity extends CitationColumns {}
