import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * Redactions (issue 24): spans of a source's archived text that the public rendition leaves out, because they hold
 * the words of a withheld value. The archived text itself, and its SHA-256, stay as they were: editors and the audit
 * read them whole. Offsets count code points, as citations' do.
 */
export class SourceRedactions1752040000000 implements MigrationInterface {
  name = 'SourceRedactions1752040000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = queryRunner.connection.options.type === 'postgres' ? { collation: 'C' } : {}
    await queryRunner.createTable(
      new Table({
        name: 'source_redactions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true, ...bytewise },
          { name: 'source_id', type: 'varchar', length: '36', ...bytewise },
          { name: 'span_start', type: 'integer' },
          { name: 'span_end', type: 'integer' },
          { name: 'reason', type: 'varchar', length: '20', ...bytewise },
          { name: 'comment', type: 'varchar', length: '2000', ...bytewise },
          { name: 'created_by', type: 'varchar', length: '200', ...bytewise },
          { name: 'created_at', type: 'varchar', length: '30', ...bytewise },
        ],
        foreignKeys: [{ columnNames: ['source_id'], referencedTableName: 'sources', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_source_redactions_source', columnNames: ['source_id', 'span_start'] }],
      }),
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('source_redactions')
  }
}
