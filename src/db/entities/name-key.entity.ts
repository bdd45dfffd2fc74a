import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm'

/** A normalised form of one word of one name claim: the index that name search reads instead of scanning. */
@Entity('name_keys')
export class NameKeyEntity {
  @PrimaryGeneratedColumn('increment')
  id: number

  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  @Column({ name: 'claim_id', type: 'varchar', length: 36 })
  claimId: string

  @Column({ type: 'varchar', length: 100 })
  key: string
}
