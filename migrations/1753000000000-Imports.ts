import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * Spreadsheet imports (issue 29): `imports`, one per import id, its importer and the progress of its latest run;
 * `import_rows`, the rows an importer's key has submitted, by row key, so that sending a row again changes nothing.
 */
export class Imports1753000000000 implements MigrationInterface {
  name = 'Imports1753000000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = queryRunner.connection.options.type === 'postgres' ? { collation: 'C' } : {}
    await queryRunner.createTable(
      new Table({
        name: 'imports',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true, ...bytewise },
          { name: 'imported_by', type: 'varchar', length: '200', ...bytewise },
          { name: 'imported_by_key', type: 'varchar', length: '36', ...bytewise },
          { name: 'file_name', type: 'varchar', length: '300', ...bytewise },
          { name: 'status', type: 'varchar', length: '20', ...bytewise },
          { name: 'rows_read', type: 'integer' },
          { name: 'submitted', type: 'integer' },
          { name: 'skipped', type: 'integer' },
          { name: 'failed', type: 'integer' },
          { name: 'problems', type: 'text', ...bytewise },
          { name: 'created_at', type: 'varchar', length: '30', ...bytewise },
          { name: 'updated_at', type: 'varchar', length: '30', ...bytewise },
        ],
      }),
      true,
    )
    await queryRunner.createTable(
      new Table({
        name: 'import_rows',
        columns: [
          { name: 'key_id', type: 'varchar', length: '36', isPrimary: true, ...bytewise },
          { name: 'row_key', type: 'varchar', length: '210', isPrimary: true, ...bytewise },
          { name: 'import_id', type: 'varchar', length: '36', ...bytewise },
          { name: 'row_number', type: 'integer' },
          { name: 'prisoner_id', type: 'varchar', length: '36', ...bytewise },
          { name: 'proposal_id', type: 'varchar', length: '36', isNullable: true, ...bytewise },
          { name: 'created_at', type: 'varchar', length: '30', ...bytewise },
        ],
        foreignKeys: [{ columnNames: ['import_id'], referencedTableName: 'imports', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_import_rows_import', columnNames: ['import_id', 'row_number'] }],
      }),
      true,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('import_rows')
    await queryRunner.dropTable('imports')
  }
}
