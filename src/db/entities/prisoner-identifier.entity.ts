import { Entity, PrimaryColumn } from 'typeorm'

/** One public external identifier of a record (its `identifiers` field), written with its read document: lists filter by it. */
@Entity('prisoner_identifiers')
export class PrisonerIdentifierEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  scheme: string

  @PrimaryColumn({ type: 'varchar', length: 200 })
  value: string

  @PrimaryColumn({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string
}
