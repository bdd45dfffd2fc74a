import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * A span of a source's archived text left out of its public rendition (docs/design.md §2, invariant 8): the words of
 * a withheld value that the text still holds. The text and its SHA-256 are kept whole for editors and the audit.
 */
@Entity('source_redactions')
export class SourceRedactionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string

  /** Code points, as citations' offsets. */
  @Column({ name: 'span_start', type: 'integer' })
  start: number

  @Column({ name: 'span_end', type: 'integer' })
  end: number

  /** Why, as a withholding's reason: family-request, safety or legal. */
  @Column({ type: 'varchar', length: 20 })
  reason: string

  @Column({ type: 'varchar', length: 2000 })
  comment: string

  /** The name of the editor's key: read by editors only. */
  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
