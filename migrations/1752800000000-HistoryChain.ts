import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/** The head of an empty chain: the "previous entry hash" of position 1 (docs/design.md §10). */
const EMPTY_HEAD = '0'.repeat(64)

/**
 * The history chain (issue 27, docs/design.md §10): every revision appended, in commit order, to `history_chain`
 * with the SHA-256 of its canonical content and of (previous entry hash ‖ content hash); `history_head` is the one
 * row every append locks (PostgreSQL: SELECT … FOR UPDATE), holding the size and head hash; `history_checkpoints`
 * the signed checkpoints. The revisions that exist are chained by a start-up step (src/core/history/backfill.ts),
 * not here: their canonical content is made by the code that chains new ones, which a migration may not import.
 */
export class HistoryChain1752800000000 implements MigrationInterface {
  name = 'HistoryChain1752800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = queryRunner.connection.options.type === 'postgres' ? { collation: 'C' } : {}
    const hash = { type: 'varchar', length: '64', ...bytewise }
    await queryRunner.createTable(
      new Table({
        name: 'history_chain',
        columns: [
          { name: 'position', type: 'integer', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '30', ...bytewise },
          { name: 'subject_id', type: 'varchar', length: '36', ...bytewise },
          // The chained row's id in its own table (revisions.id, event_revisions.id, …), as text.
          { name: 'ref', type: 'varchar', length: '36', ...bytewise },
          { name: 'at', type: 'varchar', length: '30', ...bytewise },
          // The entry's secret: its parts' salts are made from it; read by editors only.
          { name: 'salt', ...hash },
          { name: 'content_hash', ...hash },
          { name: 'entry_hash', ...hash },
        ],
        indices: [
          { name: 'IDX_history_chain_ref', columnNames: ['kind', 'ref'], isUnique: true },
          { name: 'IDX_history_chain_subject', columnNames: ['subject_id'] },
        ],
      }),
      true,
    )
    await queryRunner.createTable(
      new Table({
        name: 'history_head',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'size', type: 'integer' },
          { name: 'head', ...hash },
        ],
      }),
      true,
    )
    // Kept when there (a database whose code already chains: the previous release's stand-in in the upgrade tests).
    await queryRunner.query(`INSERT INTO history_head (id, size, head) SELECT 1, 0, '${EMPTY_HEAD}' WHERE NOT EXISTS (SELECT 1 FROM history_head WHERE id = 1)`)
    await queryRunner.createTable(
      new Table({
        name: 'history_checkpoints',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'size', type: 'integer' },
          { name: 'head', ...hash },
          { name: 'at', type: 'varchar', length: '30', ...bytewise },
          { name: 'key_id', ...hash },
          { name: 'signature', type: 'varchar', length: '200', ...bytewise },
        ],
        indices: [{ name: 'IDX_history_checkpoints_size', columnNames: ['size'] }],
      }),
      true,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('history_checkpoints')
    await queryRunner.dropTable('history_head')
    await queryRunner.dropTable('history_chain')
  }
}
