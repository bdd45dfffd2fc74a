import { Column, Entity, PrimaryColumn } from 'typeorm'

/** The evidence for an event claim: a source and its exact words, located in its archived text. */
@Entity('event_citations')
export class EventCitationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'claim_id', type: 'varchar', length: 36 })
  claimId: string

  @Column({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string

  @Column({ type: 'text' })
  quote: string

  @Column({ name: 'quote_start', type: 'integer', nullable: true })
  quoteStart: number | null

  @Column({ name: 'quote_end', type: 'integer', nullable: true })
  quoteEnd: number | null

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
