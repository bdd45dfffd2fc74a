import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions } from 'typeorm'

const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable })
const uuid = (name: string, isPrimary = false): TableColumnOptions => ({ ...varchar(name, 36), isPrimary })

/**
 * Events (DESIGN.md §3): a release, a transfer, a pardon… and what the sources say about it as a group
 * (how many, which nationalities, where to, who brokered it), each value a claim with its citations like a
 * record's, in tables of their own so that nothing that reads records' claims has to tell the two apart.
 * `event_revisions` is an event's history, as `revisions` a record's; `event_participants` links records to
 * the events they took part in; `event_proposals` holds volunteers' changes to published events until an editor decides.
 */
export class Events1751700000000 implements MigrationInterface {
  name = 'Events1751700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          uuid('id', true),
          { name: 'version', type: 'integer' },
          // Copies of the preferred kind and date, for lists to filter and sort on.
          varchar('kind', 30, true),
          varchar('date', 10, true),
          varchar('created_by', 200),
          varchar('created_at', 30),
          varchar('updated_at', 30),
          // Soft delete, as records: the event leaves reads, its claims and history stay.
          varchar('deleted_at', 30, true),
          // As records: a volunteer's event waits for an editor ('pending'), then is 'published' or 'rejected'.
          varchar('review_status', 20),
          // The API key (id) that submitted it: a volunteer reads and changes their own pending event.
          varchar('submitted_by', 36, true),
        ],
        indices: [{ name: 'IDX_events_date', columnNames: ['date', 'id'] }],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'event_claims',
        columns: [
          uuid('id', true),
          uuid('event_id'),
          varchar('field', 40),
          { name: 'value', type: 'text' },
          varchar('rank', 20),
          varchar('reason', 1000, true),
          // The event's version whose revision introduced the claim.
          { name: 'version', type: 'integer' },
          varchar('created_at', 30),
        ],
        foreignKeys: [{ columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_event_claims_event_field', columnNames: ['event_id', 'field'] }],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'event_citations',
        columns: [
          uuid('id', true),
          uuid('claim_id'),
          uuid('source_id'),
          { name: 'quote', type: 'text' },
          { name: 'quote_start', type: 'integer', isNullable: true },
          { name: 'quote_end', type: 'integer', isNullable: true },
          varchar('note', 1000, true),
          varchar('created_at', 30),
        ],
        foreignKeys: [
          { columnNames: ['claim_id'], referencedTableName: 'event_claims', referencedColumnNames: ['id'] },
          { columnNames: ['source_id'], referencedTableName: 'sources', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'IDX_event_citations_claim', columnNames: ['claim_id'] },
          { name: 'IDX_event_citations_source', columnNames: ['source_id'] },
        ],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'event_revisions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          uuid('event_id'),
          { name: 'version', type: 'integer' },
          varchar('action', 20),
          varchar('actor', 200),
          varchar('at', 30),
          varchar('comment', 2000, true),
          { name: 'diff', type: 'text' },
          // Whether the event was public after this change: the events' change feed shows only those revisions.
          { name: 'public', type: 'boolean' },
        ],
        foreignKeys: [{ columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] }],
        // One revision per version: two writers that both read version n cannot both write n + 1.
        indices: [
          { name: 'IDX_event_revisions_event_version', columnNames: ['event_id', 'version'], isUnique: true },
          { name: 'IDX_event_revisions_public', columnNames: ['public', 'id'] },
        ],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'event_participants',
        columns: [uuid('event_id', true), uuid('prisoner_id', true), varchar('created_at', 30)],
        foreignKeys: [
          { columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] },
          { columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] },
        ],
        indices: [{ name: 'IDX_event_participants_prisoner', columnNames: ['prisoner_id'] }],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'event_proposals',
        columns: [
          uuid('id', true),
          uuid('event_id'),
          { name: 'base_version', type: 'integer' },
          { name: 'fields', type: 'text' },
          varchar('comment', 2000, true),
          varchar('proposed_by', 200),
          varchar('proposed_by_key', 36, true),
          varchar('proposed_at', 30),
          varchar('status', 20),
          varchar('decided_by', 200, true),
          varchar('decided_at', 30, true),
          varchar('decision_comment', 2000, true),
        ],
        foreignKeys: [{ columnNames: ['event_id'], referencedTableName: 'events', referencedColumnNames: ['id'] }],
        indices: [
          { name: 'IDX_event_proposals_status', columnNames: ['status', 'proposed_at'] },
          { name: 'IDX_event_proposals_key', columnNames: ['proposed_by_key'] },
        ],
      }),
    )
    // A volunteer's proposal may change a record's events too: the ids, as JSON, or null when it leaves them as they are.
    await queryRunner.addColumn('proposals', new TableColumn({ name: 'events', type: 'text', isNullable: true }))
    if (queryRunner.connection.options.type === 'postgres') {
      // Bytewise comparison, as every text column since SharedByInstances1751400000000: the same order on both engines.
      const columns = (await queryRunner.query(
        `SELECT table_name, column_name, data_type, character_maximum_length FROM information_schema.columns
         WHERE table_schema = current_schema() AND data_type IN ('character varying', 'text')
         AND table_name IN ('events', 'event_claims', 'event_citations', 'event_revisions', 'event_participants', 'event_proposals') ORDER BY table_name, column_name`,
      )) as { table_name: string; column_name: string; data_type: string; character_maximum_length: number | null }[]
      for (const { table_name, column_name, data_type, character_maximum_length } of columns) {
        const type = data_type === 'text' ? 'text' : `varchar(${character_maximum_length})`
        await queryRunner.query(`ALTER TABLE "${table_name}" ALTER COLUMN "${column_name}" TYPE ${type} COLLATE "C"`)
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('proposals', 'events')
    for (const table of ['event_proposals', 'event_participants', 'event_revisions', 'event_citations', 'event_claims', 'events']) await queryRunner.dropTable(table)
  }
}
