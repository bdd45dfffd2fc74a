import { Column, Entity, PrimaryColumn } from 'typeorm'

/** A record that took part in an event; written with the record (its document lists its events). */
@Entity('event_participants')
export class EventParticipantEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string

  @PrimaryColumn({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
