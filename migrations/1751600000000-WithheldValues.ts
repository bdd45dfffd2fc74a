import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm'

/**
 * Values withheld from the public, and private sources (DESIGN.md §3).
 *
 * - `prisoners.document` and `etag` stay what everyone reads (lists, search, exports and the feed serve them
 *   as they are); `editor_document` and `editor_etag` hold the whole record where it differs (a withheld value,
 *   a citation of a private source), null otherwise. `withheld` names the withheld fields with their public
 *   reason and date (JSON), so that history and the feed can be redacted without reading documents.
 * - `claims.withheld`: every claim of a withheld field, so that a source's citations, a citation's trace and the
 *   name keys leave them out in SQL.
 * - `sources.private`: a family's letter, a testimony: read by editors only.
 */
export class WithheldValues1751600000000 implements MigrationInterface {
  name = 'WithheldValues1751600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('prisoners', [
      new TableColumn({ name: 'editor_document', type: 'text', isNullable: true }),
      new TableColumn({ name: 'editor_etag', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'withheld', type: 'varchar', length: '1000', isNullable: true }),
    ])
    await queryRunner.addColumn('claims', new TableColumn({ name: 'withheld', type: 'boolean', default: false }))
    await queryRunner.addColumn('sources', new TableColumn({ name: 'private', type: 'boolean', default: false }))
  }

  async down(): Promise<void> {
    // The columns stay: on SQLite TypeORM drops a column by rebuilding the table, which foreign keys forbid here.
  }
}
