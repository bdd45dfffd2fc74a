import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * Which version of the rules built each kind of derived data (the name keys). Until now a change of the
 * name folding rules needed a migration that rebuilt the keys with the rules of the day, so migrations
 * imported live code and a landed one's output changed with it. Now the app compares the version of the
 * rules it runs with the one stored here and rebuilds on start when they differ (src/core/search/name-keys-rebuild.ts).
 */
export class DerivedDataVersions1751300000000 implements MigrationInterface {
  name = 'DerivedDataVersions1751300000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'derived_versions',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true },
          { name: 'version', type: 'integer' },
          // ISO-8601 text, as every timestamp of the schema; null: built by a migration, not by a rebuild.
          { name: 'rebuilt_at', type: 'varchar', length: '30', isNullable: true },
        ],
      }),
    )
    // The keys stored now are those NamePairKeys1751000000000 built (or the app wrote since, by the same
    // rules): version 1 of NAME_KEYS_VERSION. A literal, not an import: a migration never reads src/.
    await queryRunner.manager.createQueryBuilder().insert().into('derived_versions').values({ name: 'name-keys', version: 1, rebuilt_at: null }).execute()
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('derived_versions')
  }
}
