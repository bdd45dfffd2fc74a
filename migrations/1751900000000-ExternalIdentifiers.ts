import { createHash } from 'node:crypto'
import { MigrationInterface, QueryRunner, Table } from 'typeorm'

/**
 * External identifiers (issue 26): a record's cited `identifiers` field, a list of `{ scheme, id }` (its Wikidata
 * item, its pages at Viasna, Memorial, OpenSanctions). `prisoner_identifiers` holds the public ones, one row each,
 * rewritten with the record's read document, so that `?wikidata=Q…` and `?identifier=scheme:id` are an index seek.
 * Every stored read document gains the empty field, so that each record reads with every field as before.
 */
const EMPTY_FIELD = { value: null, claimId: null, citations: [], alternatives: [] }

/** The ETag of a stored document, as src/shared/etag.ts makes it (frozen here: a migration never reads src/). */
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

/** The document with `identifiers` after the other fields, where the writer puts it (before events and dates). */
function withIdentifiers(text: string): string {
  const { events, createdAt, updatedAt, ...fields } = JSON.parse(text) as Record<string, unknown>
  if ('identifiers' in fields) return text
  return JSON.stringify({ ...fields, identifiers: EMPTY_FIELD, ...(events === undefined ? {} : { events }), createdAt, updatedAt })
}

export class ExternalIdentifiers1751900000000 implements MigrationInterface {
  name = 'ExternalIdentifiers1751900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    await queryRunner.createTable(
      new Table({
        name: 'prisoner_identifiers',
        columns: [
          { name: 'scheme', type: 'varchar', length: '20', isPrimary: true, ...bytewise },
          { name: 'value', type: 'varchar', length: '200', isPrimary: true, ...bytewise },
          { name: 'prisoner_id', type: 'varchar', length: '36', isPrimary: true, ...bytewise },
        ],
        foreignKeys: [{ columnNames: ['prisoner_id'], referencedTableName: 'prisoners', referencedColumnNames: ['id'] }],
        indices: [{ name: 'IDX_prisoner_identifiers_prisoner', columnNames: ['prisoner_id'] }],
      }),
    )
    const rows = (await queryRunner.query('SELECT id, document, editor_document AS "editorDocument" FROM prisoners')) as {
      id: string
      document: string
      editorDocument: string | null
    }[]
    // Raw SQL: a query builder would map the table through today's entity, which a landed migration must not follow.
    const marks = postgres ? ['$1', '$2', '$3', '$4', '$5'] : ['?', '?', '?', '?', '?']
    const update = `UPDATE prisoners SET document = ${marks[0]}, etag = ${marks[1]}, editor_document = ${marks[2]}, editor_etag = ${marks[3]} WHERE id = ${marks[4]}`
    for (const { id, document, editorDocument } of rows) {
      const shown = withIdentifiers(document)
      const whole = editorDocument === null ? null : withIdentifiers(editorDocument)
      await queryRunner.query(update, [shown, etagOf(shown), whole, whole === null ? null : etagOf(whole), id])
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('prisoner_identifiers')
  }
}
