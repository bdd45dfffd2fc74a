import { MigrationInterface, QueryRunner } from 'typeorm'
import { LONG_NAME_KEY, storedNameKeys } from './frozen/name-keys.2025-06'

/** Name claims read per batch: the keys of the whole registry are never held in memory at once. */
const CLAIMS_PER_BATCH = 500
/** Rows per INSERT: SQLite allows a limited number of parameters per statement. */
const ROWS_PER_INSERT = 200

/**
 * Name keys gain pair keys (two words of a name in one key), so that a search for a full name starts from
 * the few people who have both words: at 100,000 records a two-word search read hundreds of candidates
 * for its rarer word, now a handful. Keys are stored, so every current name claim's keys are built again.
 */
export class NamePairKeys1751000000000 implements MigrationInterface {
  name = 'NamePairKeys1751000000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const builder = () => queryRunner.manager.createQueryBuilder()
    await builder().delete().from('name_keys').execute()
    let after = ''
    for (;;) {
      const claims: { id: string; prisonerId: string; value: string }[] = await builder()
        .select(['id AS "id"', 'prisoner_id AS "prisonerId"', 'value AS "value"'])
        .from('claims', 'claims')
        .where("field = 'name' AND rank <> 'deprecated' AND id > :after", { after })
        .orderBy('id')
        .limit(CLAIMS_PER_BATCH)
        .getRawMany()
      if (claims.length === 0) return
      after = claims[claims.length - 1].id
      // TypeORM maps 'name_keys' to its entity, so rows are written with the entity's property names.
      const rows = claims.flatMap(({ id, prisonerId, value }) =>
        storedNameKeys(JSON.parse(value) as string).map((key) => ({ prisonerId, claimId: id, key })),
      )
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        await builder().insert().into('name_keys').values(rows.slice(start, start + ROWS_PER_INSERT)).execute()
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Word keys stay as they were; searches of the previous code never read pair keys.
    await queryRunner.manager.createQueryBuilder().delete().from('name_keys').where('key LIKE :pair OR key = :long', { pair: '% %', long: LONG_NAME_KEY }).execute()
  }
}
