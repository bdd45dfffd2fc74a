import { MigrationInterface, QueryRunner, Table } from 'typeorm'

// API keys (stored only as hashes) and volunteers' proposed changes awaiting an editor's review.
export class ApiKeysAndReview1750600000000 implements MigrationInterface {
  name = 'ApiKeysAndReview1750600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'created_by', type: 'varchar', length: '200' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'revoked_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'last_used_at', type: 'varchar', length: '30', isNullable: true },
        ],
        indices: [{ name: 'IDX_api_keys_hash', columnNames: ['key_hash'], isUnique: true }],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'proposals',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'prisoner_id', type: 'varchar', length: '36' },
          { name: 'base_version', type: 'integer' },
          // The proposed fields with their checked citations (offsets included), as JSON.
          { name: 'fields', type: 'text' },
          { name: 'comment', type: 'varchar', length: '2000', isNullable: true },
          { name: 'proposed_by', type: 'varchar', length: '200' },
          { name: 'proposed_at', type: 'varchar', length: '30' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'decided_by', type: 'varchar', length: '200', isNullable: true },
          { name: 'decided_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'decision_comment', type: 'varchar', length: '2000', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] }],
        indices: [
          { name: 'IDX_proposals_status', columnNames: ['status', 'proposed_at'] },
          { name: 'IDX_proposals_prisoner', columnNames: ['prisoner_id'] },
        ],
      }),
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('proposals')
    await queryRunner.dropTable('api_keys')
  }
}
