import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * What a source's address served when the registry fetched it (docs/design.md §3.3): the WARC file of the fetch
 * and what reads show of it. Written in one place only, `recordCapture` (src/core/capture/captures.ts).
 */
@Entity('source_captures')
export class SourceCaptureEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'source_id', type: 'varchar', length: 36 })
  sourceId: string

  @Column({ name: 'requested_url', type: 'varchar', length: 2000 })
  requestedUrl: string

  /** After redirects. */
  @Column({ name: 'final_url', type: 'varchar', length: 2000 })
  finalUrl: string

  @Column({ type: 'integer' })
  status: number

  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true })
  contentType: string | null

  @Column({ name: 'captured_at', type: 'varchar', length: 30 })
  capturedAt: string

  /** No column type: TypeORM maps a Buffer to each engine's bytes (blob on SQLite, bytea on PostgreSQL). */
  @Column({ name: 'warc' })
  warc: Buffer

  @Column({ name: 'warc_sha256', type: 'varchar', length: 64 })
  warcSha256: string

  @Column({ name: 'warc_size', type: 'integer' })
  warcSize: number

  /** The readable text taken from the page (src/core/capture/readable-text.ts). */
  @Column({ type: 'text' })
  text: string

  @Column({ name: 'text_sha256', type: 'varchar', length: 64 })
  textSha256: string

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy: string

  @Column({ name: 'created_by_key', type: 'varchar', length: 36, nullable: true })
  createdByKey: string | null

  @Column({ name: 'created_by_role', type: 'varchar', length: 20, nullable: true })
  createdByRole: string | null
}
