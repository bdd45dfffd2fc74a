import { Column, Entity, PrimaryColumn } from 'typeorm'
import type { ClaimRank } from './claim.entity'

/** One value for one field of an event, as some source states it (as ClaimEntity is for records). */
@Entity('event_claims')
export class EventClaimEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string

  @Column({ type: 'varchar', length: 40 })
  field: string

  /** The value as JSON text. */
  @Column({ type: 'text' })
  value: string

  @Column({ type: 'varchar', length: 20 })
  rank: ClaimRank

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null

  /** The event's version whose revision introduced the claim. */
  @Column({ type: 'integer' })
  version: number

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
