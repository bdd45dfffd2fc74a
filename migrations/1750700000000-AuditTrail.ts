import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm'

/**
 * What auditors and mirrors need from history: each revision's resulting state and whether the public
 * may see it (the change feed hides what was only ever pending), and the version that introduced each claim.
 */
export class AuditTrail1750700000000 implements MigrationInterface {
  name = 'AuditTrail1750700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('revisions', [
      new TableColumn({ name: 'state', type: 'varchar', length: '20', default: "'published'" }),
      new TableColumn({ name: 'public', type: 'boolean', default: true }),
    ])
    await queryRunner.addColumn('claims', new TableColumn({ name: 'version', type: 'integer', isNullable: true }))

    // Earlier revisions: take the record's present state; a record never published stays out of the feed.
    await queryRunner.manager
      .createQueryBuilder()
      .update('revisions')
      .set({ public: false, state: () => '(SELECT p.review_status FROM prisoners p WHERE p.id = revisions.prisoner_id)' })
      .where("prisoner_id IN (SELECT id FROM prisoners WHERE review_status <> 'published')")
      .execute()
    // A claim was introduced by the revision written in the same instant for the same record.
    await queryRunner.manager
      .createQueryBuilder()
      .update('claims')
      .set({
        version: () =>
          '(SELECT MIN(r.version) FROM revisions r WHERE r.prisoner_id = claims.prisoner_id AND r.at = claims.created_at)',
      })
      .execute()
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('claims', 'version')
    await queryRunner.dropColumns('revisions', ['state', 'public'])
  }
}
