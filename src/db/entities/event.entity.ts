import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * An event that records take part in (a release, a transfer…). Its facts live in event claims, cited like a
 * record's; `kind` and `date` copy the preferred values for lists.
 */
@Entity('events')
export class EventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'integer' })
  version: number

  @Column({ type: 'varchar', length: 30, nullable: true })
  kind: string | null

  @Column({ type: 'varchar', length: 10, nullable: true })
  date: string | null

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string

  @Column({ name: 'deleted_at', type: 'varchar', length: 30, nullable: true })
  deletedAt: string | null

  @Column({ name: 'review_status', type: 'varchar', length: 20 })
  reviewStatus: 'pending' | 'published' | 'rejected'

  /** The API key id that submitted the event (ownership is by key id, never by name). */
  @Column({ name: 'submitted_by', type: 'varchar', length: 36, nullable: true })
  submittedBy: string | null

  /** The event's cited fields as everyone reads them, with the version they are of (JSON; core/record/event-documents.ts). */
  @Column({ type: 'text', nullable: true })
  document: string | null

  /** The same, whole, for editors; null when it is the public one. */
  @Column({ name: 'editor_document', type: 'text', nullable: true })
  editorDocument: string | null
}
