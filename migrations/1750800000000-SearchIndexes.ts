import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm'
import { foldName } from './frozen/name-keys.2025-06'

/**
 * Name search at 100,000 records: intersect the words of a query starting from the rarest, by
 * (key, claim) and (claim, key) lookups, and rank by spelling in SQL from a folded copy of each name,
 * so a search reads the few rows it returns rather than parsing every candidate.
 */
export class SearchIndexes1750800000000 implements MigrationInterface {
  name = 'SearchIndexes1750800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('claims', new TableColumn({ name: 'folded', type: 'varchar', length: '300', isNullable: true }))
    const names: { id: string; value: string }[] = await queryRunner.manager
      .createQueryBuilder()
      .select(['id', 'value'])
      .from('claims', 'claims')
      .where("field = 'name'")
      .getRawMany()
    for (const { id, value } of names) {
      await queryRunner.manager.createQueryBuilder().update('claims').set({ folded: foldName(JSON.parse(value)) }).where('id = :id', { id }).execute()
    }

    await queryRunner.dropIndex('name_keys', 'IDX_name_keys_key')
    await queryRunner.dropIndex('name_keys', 'IDX_name_keys_claim')
    await queryRunner.createIndex('name_keys', new TableIndex({ name: 'IDX_name_keys_key_claim', columnNames: ['key', 'claim_id'] }))
    await queryRunner.createIndex('name_keys', new TableIndex({ name: 'IDX_name_keys_claim_key', columnNames: ['claim_id', 'key'] }))
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('name_keys', 'IDX_name_keys_claim_key')
    await queryRunner.dropIndex('name_keys', 'IDX_name_keys_key_claim')
    await queryRunner.createIndex('name_keys', new TableIndex({ name: 'IDX_name_keys_claim', columnNames: ['claim_id'] }))
    await queryRunner.createIndex('name_keys', new TableIndex({ name: 'IDX_name_keys_key', columnNames: ['key', 'prisoner_id'] }))
    await queryRunner.dropColumn('claims', 'folded')
  }
}
