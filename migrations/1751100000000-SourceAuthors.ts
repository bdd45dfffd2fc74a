import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm'

/**
 * Who added each source, so that an auditor can trace evidence to the person who brought it, as every
 * record's history already names who changed it. Sources added before this was kept say null: not recorded.
 */
export class SourceAuthors1751100000000 implements MigrationInterface {
  name = 'SourceAuthors1751100000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('sources', new TableColumn({ name: 'created_by', type: 'varchar', length: '200', isNullable: true }))
  }

  async down(): Promise<void> {
    // The column stays: older code never reads it, and on SQLite TypeORM drops a column by rebuilding the
    // table, which the citations' foreign keys forbid inside a migration's transaction.
  }
}
