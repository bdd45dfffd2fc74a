import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * What several API instances on one database must share.
 *
 * - `rate_limits`: the windows of the write and failed-authentication limits, which were kept in each
 *   process's memory, so that N instances allowed N times the limit.
 * - On PostgreSQL only, every text column compares by bytes (COLLATE "C"), as SQLite's do: with the
 *   server's default collation (en_US.UTF-8, say) names, ids and cursors sorted in another order than on
 *   SQLite, and a cursor's "after this id" skipped or repeated rows. SQLite needs no change.
 */
export class SharedByInstances1751400000000 implements MigrationInterface {
  name = 'SharedByInstances1751400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          // What is counted and for whom: "writes:<key id>", "auth-failures:<address>".
          { name: 'bucket', type: 'varchar', length: '300', isPrimary: true },
          { name: 'count', type: 'integer' },
          // When the window ends, in ms since 1970.
          { name: 'reset_at', type: 'bigint' },
        ],
      }),
    )
    if (queryRunner.connection.options.type === 'postgres') {
      const columns = (await queryRunner.query(
        `SELECT table_name, column_name, data_type, character_maximum_length FROM information_schema.columns
         WHERE table_schema = current_schema() AND data_type IN ('character varying', 'text') AND table_name <> 'migrations'
         ORDER BY table_name, column_name`,
      )) as { table_name: string; column_name: string; data_type: string; character_maximum_length: number | null }[]
      for (const { table_name, column_name, data_type, character_maximum_length } of columns) {
        const type = data_type === 'text' ? 'text' : `varchar${character_maximum_length ? `(${character_maximum_length})` : ''}`
        await queryRunner.query(`ALTER TABLE "${table_name}" ALTER COLUMN "${column_name}" TYPE ${type} COLLATE "C"`)
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The collation stays: bytewise comparison is what the schema meant on both engines.
    await queryRunner.dropTable('rate_limits')
  }
}
