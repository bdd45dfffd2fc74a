import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm'

// Dialect-neutral on purpose (DESIGN.md §7): the same migration builds SQLite and PostgreSQL.
// Timestamps are ISO-8601 text and JSON is text, so every database stores and sorts them alike.
const uuid = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  ...extra,
})
const text = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
})
const timestamp = (name: string, isNullable = false) => text(name, 30, isNullable)

export class RegistrySchema1750500000000 implements MigrationInterface {
  name = 'RegistrySchema1750500000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sources',
        columns: [
          uuid('id', { isPrimary: true }),
          text('title', 500),
          text('publisher', 200, true),
          text('url', 2000, true),
          text('published_at', 10, true),
          text('retrieved_at', 10, true),
          text('language', 35, true),
          text('kind', 20),
          text('note', 2000, true),
          { name: 'content', type: 'text', isNullable: true },
          text('content_sha256', 64, true),
          timestamp('created_at'),
        ],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'prisoners',
        columns: [
          uuid('id', { isPrimary: true }),
          { name: 'version', type: 'integer' },
          text('review_status', 20),
          timestamp('deleted_at', true),
          timestamp('created_at'),
          timestamp('updated_at'),
          text('name', 300, true),
          text('sort_name', 300),
          text('nationality', 2, true),
          text('status', 20, true),
          text('release_date', 10, true),
          text('destination_country', 2, true),
          { name: 'document', type: 'text' },
          text('etag', 64),
        ],
        indices: [
          // Public lists read only visible records, in name order, page by page.
          { name: 'IDX_prisoners_visible_name', columnNames: ['review_status', 'deleted_at', 'sort_name', 'id'] },
          { name: 'IDX_prisoners_visible_created', columnNames: ['review_status', 'deleted_at', 'created_at', 'id'] },
          { name: 'IDX_prisoners_release_date', columnNames: ['release_date'] },
          { name: 'IDX_prisoners_nationality', columnNames: ['nationality'] },
          { name: 'IDX_prisoners_status', columnNames: ['status'] },
          { name: 'IDX_prisoners_destination', columnNames: ['destination_country'] },
        ],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'claims',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('prisoner_id'),
          text('field', 40),
          { name: 'value', type: 'text' },
          text('rank', 20),
          text('reason', 1000, true),
          timestamp('created_at'),
        ],
        foreignKeys: [{ columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] }],
        // SQLite does not index foreign keys by itself; without these a record read scans every claim.
        indices: [{ name: 'IDX_claims_prisoner_field', columnNames: ['prisoner_id', 'field'] }],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'citations',
        columns: [
          uuid('id', { isPrimary: true }),
          uuid('claim_id'),
          uuid('source_id'),
          { name: 'quote', type: 'text' },
          { name: 'quote_start', type: 'integer', isNullable: true },
          { name: 'quote_end', type: 'integer', isNullable: true },
          text('note', 1000, true),
          timestamp('created_at'),
        ],
        foreignKeys: [
          { columnNames: ['claim_id'], referencedTableName: 'claims', referencedColumnNames: ['id'] },
          { columnNames: ['source_id'], referencedTableName: 'sources', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'IDX_citations_claim', columnNames: ['claim_id'] },
          { name: 'IDX_citations_source', columnNames: ['source_id'] },
        ],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'revisions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          uuid('prisoner_id'),
          { name: 'version', type: 'integer' },
          text('action', 20),
          text('actor', 200),
          timestamp('at'),
          text('comment', 2000, true),
          { name: 'diff', type: 'text' },
        ],
        foreignKeys: [{ columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_revisions_prisoner_version', columnNames: ['prisoner_id', 'version'], isUnique: true }],
      }),
    )

    await queryRunner.createTable(
      new Table({
        name: 'name_keys',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          uuid('prisoner_id'),
          uuid('claim_id'),
          text('key', 100),
        ],
        foreignKeys: [
          { columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] },
          { columnNames: ['claim_id'], referencedTableName: 'claims', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'IDX_name_keys_key', columnNames: ['key', 'prisoner_id'] },
          { name: 'IDX_name_keys_prisoner', columnNames: ['prisoner_id'] },
          { name: 'IDX_name_keys_claim', columnNames: ['claim_id'] },
        ],
      }),
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['name_keys', 'revisions', 'citations', 'claims', 'prisoners', 'sources']) {
      await queryRunner.dropTable(table)
    }
  }
}
