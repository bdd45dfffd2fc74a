import { MigrationInterface, QueryRunner } from 'typeorm'
import { nameKeys } from './frozen/name-keys.2025-06'

/**
 * Name keys read Łacinka: a Latin "la"/"lo" is also keyed as ля/лё (Alaksandr = Аляксандр) and "cc" before
 * i as цц (Tacciana = Таццяна). Keys are stored, so every current name claim's keys are built again.
 */
export class LacinkaNameKeys1750900000000 implements MigrationInterface {
  name = 'LacinkaNameKeys1750900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const builder = () => queryRunner.manager.createQueryBuilder()
    const names: { id: string; prisonerId: string; value: string }[] = await builder()
      .select(['id AS "id"', 'prisoner_id AS "prisonerId"', 'value AS "value"'])
      .from('claims', 'claims')
      .where("field = 'name' AND rank <> 'deprecated'")
      .getRawMany()
    await builder().delete().from('name_keys').execute()
    const rows = names.flatMap(({ id, prisonerId, value }) =>
      nameKeys(JSON.parse(value) as string).map((key) => ({ prisonerId, claimId: id, key })),
    )
    // TypeORM maps 'name_keys' to its entity, so rows are written with the entity's property names.
    // Small batches: SQLite allows a limited number of parameters per statement.
    for (let start = 0; start < rows.length; start += 200) {
      await builder().insert().into('name_keys').values(rows.slice(start, start + 200)).execute()
    }
  }

  async down(): Promise<void> {
    // Keys built by these rules also serve the previous code's searches (each word still has its plain key).
  }
}
