import { randomBytes } from 'node:crypto'
import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm'

/**
 * Who did it, safely (issue 24; docs/design.md §2, invariant 8): the public sees an actor as a role and a pseudonym
 * made from the key's id, so every place that records an actor keeps the key's id and role beside its name:
 * revisions of records and events, the source's author, a proposal's decider. Existing rows are attributed where
 * the name they recorded belongs to exactly one key (as SubmitterKeys1751200000000 did); the seed's are the seed's.
 *
 * `instance_secrets` keeps the secret the pseudonyms are made with, one per database, so that every instance on a
 * shared PostgreSQL, and every restart, shows the same pseudonym (ACTOR_PSEUDONYM_SECRET replaces it).
 */
const ACTOR_COLUMNS: readonly { table: string; name: string; key: string; role: string }[] = [
  { table: 'revisions', name: 'actor', key: 'actor_key', role: 'actor_role' },
  { table: 'event_revisions', name: 'actor', key: 'actor_key', role: 'actor_role' },
  { table: 'sources', name: 'created_by', key: 'created_by_key', role: 'created_by_role' },
  { table: 'proposals', name: 'decided_by', key: 'decided_by_key', role: 'decided_by_role' },
  { table: 'event_proposals', name: 'decided_by', key: 'decided_by_key', role: 'decided_by_role' },
]

export class ActorPseudonyms1752400000000 implements MigrationInterface {
  name = 'ActorPseudonyms1752400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    for (const { table, name, key, role } of ACTOR_COLUMNS) {
      await queryRunner.addColumns(table, [
        new TableColumn({ name: key, type: 'varchar', length: '36', isNullable: true, ...bytewise }),
        new TableColumn({ name: role, type: 'varchar', length: '20', isNullable: true, ...bytewise }),
      ])
      const onlyKey = `(SELECT COUNT(*) FROM api_keys k WHERE k.name = ${table}.${name}) = 1`
      await queryRunner.query(
        `UPDATE ${table} SET ${key} = (SELECT k.id FROM api_keys k WHERE k.name = ${table}.${name}),
           ${role} = (SELECT k.role FROM api_keys k WHERE k.name = ${table}.${name})
         WHERE ${name} <> 'seed' AND ${onlyKey}`,
      )
      await queryRunner.query(`UPDATE ${table} SET ${role} = 'seed' WHERE ${name} = 'seed'`)
    }
    await queryRunner.createTable(
      new Table({
        name: 'instance_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true, ...bytewise },
          { name: 'value', type: 'varchar', length: '200', ...bytewise },
        ],
      }),
    )
    const mark = postgres ? '$1' : '?'
    await queryRunner.query(`INSERT INTO instance_secrets (name, value) VALUES ('actor-pseudonym', ${mark})`, [randomBytes(32).toString('hex')])
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('instance_secrets')
    // The columns stay: on SQLite TypeORM drops a column by rebuilding the table, which foreign keys forbid here.
  }
}
