import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm'

/**
 * Who submitted a record, and who proposed a change, by the id of their API key. Until now the author was
 * matched by the key's display name, which is not unique: two volunteers both called "Anna" read each
 * other's pending submissions. Existing rows are attributed where the name they recorded belongs to exactly
 * one key; the others stay null, readable by editors only.
 */
export class SubmitterKeys1751200000000 implements MigrationInterface {
  name = 'SubmitterKeys1751200000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('prisoners', new TableColumn({ name: 'submitted_by', type: 'varchar', length: '36', isNullable: true }))
    await queryRunner.addColumn('proposals', new TableColumn({ name: 'proposed_by_key', type: 'varchar', length: '36', isNullable: true }))
    await SubmitterKeys1751200000000.attributeExisting(queryRunner)
    await queryRunner.createIndex('prisoners', new TableIndex({ name: 'IDX_prisoners_submitted_by', columnNames: ['submitted_by'] }))
    await queryRunner.createIndex('proposals', new TableIndex({ name: 'IDX_proposals_proposed_by_key', columnNames: ['proposed_by_key'] }))
  }

  /** Attributes rows written before key ids were kept, where the name they recorded belongs to exactly one key. */
  static async attributeExisting(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE prisoners SET submitted_by = (
         SELECT k.id FROM api_keys k JOIN revisions r ON r.actor = k.name WHERE r.prisoner_id = prisoners.id AND r.version = 1)
       WHERE (SELECT COUNT(*) FROM api_keys k JOIN revisions r ON r.actor = k.name WHERE r.prisoner_id = prisoners.id AND r.version = 1) = 1`,
    )
    await queryRunner.query(
      `UPDATE proposals SET proposed_by_key = (SELECT k.id FROM api_keys k WHERE k.name = proposals.proposed_by)
       WHERE (SELECT COUNT(*) FROM api_keys k WHERE k.name = proposals.proposed_by) = 1`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('proposals', 'IDX_proposals_proposed_by_key')
    await queryRunner.dropIndex('prisoners', 'IDX_prisoners_submitted_by')
    // The columns stay: on SQLite TypeORM drops a column by rebuilding the table, which foreign keys forbid here.
  }
}
