import { Column, Entity, PrimaryColumn } from 'typeorm'

export const IMPORT_STATUSES = ['running', 'finished', 'interrupted', 'stopped'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

/** One import (POST /v1/imports): who sends it, and where its latest run stands. */
@Entity('imports')
export class ImportEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'imported_by', type: 'varchar', length: 200 })
  importedBy: string

  /** The importer's API key: only it and editors read the import (core/access). */
  @Column({ name: 'imported_by_key', type: 'varchar', length: 36 })
  importedByKey: string

  @Column({ name: 'file_name', type: 'varchar', length: 300 })
  fileName: string

  @Column({ type: 'varchar', length: 20 })
  status: ImportStatus

  @Column({ name: 'rows_read', type: 'integer' })
  rowsRead: number

  @Column({ type: 'integer' })
  submitted: number

  @Column({ type: 'integer' })
  skipped: number

  @Column({ type: 'integer' })
  failed: number

  /** JSON: the problems of the latest run, `[{ row, column, message }]`, the first ones up to a bound. */
  @Column({ type: 'text' })
  problems: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt: string
}

/** A row an importer's key has submitted, by its row key: the record (and proposal) it became. */
@Entity('import_rows')
export class ImportRowEntity {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 36 })
  keyId: string

  @PrimaryColumn({ name: 'row_key', type: 'varchar', length: 210 })
  rowKey: string

  @Column({ name: 'import_id', type: 'varchar', length: 36 })
  importId: string

  @Column({ name: 'row_number', type: 'integer' })
  rowNumber: number

  @Column({ name: 'prisoner_id', type: 'varchar', length: 36 })
  prisonerId: string

  @Column({ name: 'proposal_id', type: 'varchar', length: 36, nullable: true })
  proposalId: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string
}
