import { Column, Entity, PrimaryColumn } from 'typeorm'

export const REVIEW_STATUSES = ['published', 'pending', 'rejected'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/**
 * A person's record. Its facts live in claims; the columns below copy each field's preferred value so
 * that lists filter and sort on plain columns, and `document` keeps the public read ready to serve,
 * rebuilt in the same transaction as every write.
 */
@Entity('prisoners')
export class PrisonerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'integer' })
  version: number

  @Column({ name: 'review_status', type: 'varchar', length: 20 })
  reviewStatus: ReviewStatus

  @Column({ name: 'deleted_at', type: 'varchar', length: 30, nullable: true })
  deletedAt: string | null

  /** The id of the API key that submitted the record: its author may follow it while it waits for review. */
  @Column({ name: 'submitted_by', type: 'varchar', length: 36, nullable: true })
  submittedBy: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string

  @Column({ type: 'varchar', length: 300, nullable: true })
  name: string | null

  /** The name folded for ordering; unknown names sort last. */
  @Column({ name: 'sort_name', type: 'varchar', length: 300 })
  sortName: string

  @Column({ type: 'varchar', length: 2, nullable: true })
  nationality: string | null

  @Column({ type: 'varchar', length: 20, nullable: true })
  status: string | null

  @Column({ name: 'release_date', type: 'varchar', length: 10, nullable: true })
  releaseDate: string | null

  @Column({ name: 'destination_country', type: 'varchar', length: 2, nullable: true })
  destinationCountry: string | null

  @Column({ name: 'arrest_date', type: 'varchar', length: 10, nullable: true })
  arrestDate: string | null

  @Column({ name: 'recognition_date', type: 'varchar', length: 10, nullable: true })
  recognitionDate: string | null

  /** The organisations of the public recognition, folded (`| viasna | belarusian pen |`): `?recognizedBy=` matches their words. */
  @Column({ name: 'recognized_by', type: 'text', nullable: true })
  recognizedBy: string | null

  /** The record as everyone but editors reads it (JSON), and its strong ETag: withheld values and private words left out. */
  @Column({ type: 'text' })
  document: string

  @Column({ type: 'varchar', length: 64 })
  etag: string

  /** The whole record, for editors, and its ETag: null when it is the same as `document` (nothing is left out). */
  @Column({ name: 'editor_document', type: 'text', nullable: true })
  editorDocument: string | null

  @Column({ name: 'editor_etag', type: 'varchar', length: 64, nullable: true })
  editorEtag: string | null

  /** The withheld fields with their public reason and date (JSON `{ field: { reason, since } }`); null when none. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  withheld: string | null
}
