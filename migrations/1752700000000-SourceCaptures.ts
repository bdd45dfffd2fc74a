import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * Captures (issue 27): what a source's address served when the registry fetched it, kept as a WARC file (request
 * and response records, headers and body as they came), with its status, final address after redirects, time and
 * content type, and the readable text taken from it (its SHA-256 too, to tell whether a later capture's text
 * changed). The source's archived text stays the one its quotes were checked against (docs/design.md §3.4).
 */
export class SourceCaptures1752700000000 implements MigrationInterface {
  name = 'SourceCaptures1752700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    await queryRunner.createTable(
      new Table({
        name: 'source_captures',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true, ...bytewise },
          { name: 'source_id', type: 'varchar', length: '36', ...bytewise },
          { name: 'requested_url', type: 'varchar', length: '2000', ...bytewise },
          { name: 'final_url', type: 'varchar', length: '2000', ...bytewise },
          { name: 'status', type: 'integer' },
          { name: 'content_type', type: 'varchar', length: '200', isNullable: true, ...bytewise },
          { name: 'captured_at', type: 'varchar', length: '30', ...bytewise },
          { name: 'warc', type: postgres ? 'bytea' : 'blob' },
          { name: 'warc_sha256', type: 'varchar', length: '64', ...bytewise },
          { name: 'warc_size', type: 'integer' },
          { name: 'text', type: 'text', ...bytewise },
          { name: 'text_sha256', type: 'varchar', length: '64', ...bytewise },
          { name: 'created_by', type: 'varchar', length: '200', ...bytewise },
          { name: 'created_by_key', type: 'varchar', length: '36', isNullable: true, ...bytewise },
          { name: 'created_by_role', type: 'varchar', length: '20', isNullable: true, ...bytewise },
        ],
        foreignKeys: [{ columnNames: ['source_id'], referencedTableName: 'sources', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_source_captures_source', columnNames: ['source_id', 'captured_at'] }],
      }),
      true,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('source_captures')
  }
}
