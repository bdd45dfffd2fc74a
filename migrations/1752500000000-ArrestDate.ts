import { createHash } from 'node:crypto'
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm'

/**
 * A record's cited `arrestDate` (a partial date, as `releaseDate`): `prisoners.arrest_date` copies its public value so
 * that `?arrestedFrom=`/`?arrestedTo=` filter on a plain column, and every stored document (the public one and the
 * editors') gains the empty field after the others, where the writer puts it, so that each record reads with every
 * field of the contract before any is written again.
 */
const EMPTY_FIELD = { value: null, claimId: null, citations: [], alternatives: [] }

/** The ETag of a stored document, as src/shared/etag.ts makes it (frozen here: a migration never reads src/). */
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

function withArrestDate(text: string): string {
  const { events, createdAt, updatedAt, ...fields } = JSON.parse(text) as Record<string, unknown>
  if ('arrestDate' in fields) return text
  return JSON.stringify({ ...fields, arrestDate: EMPTY_FIELD, ...(events === undefined ? {} : { events }), createdAt, updatedAt })
}

export class ArrestDate1752500000000 implements MigrationInterface {
  name = 'ArrestDate1752500000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    // A database whose writers already fill the column (the previous release's stand-in in the rolling-upgrade test,
    // which is today's code) keeps it.
    if (!(await queryRunner.hasColumn('prisoners', 'arrest_date'))) {
      await queryRunner.addColumn('prisoners', new TableColumn({ name: 'arrest_date', type: 'varchar', length: '10', isNullable: true, ...bytewise }))
    }
    if (!(await queryRunner.getTable('prisoners'))?.indices.some((index) => index.name === 'IDX_prisoners_arrest_date')) {
      await queryRunner.createIndex('prisoners', new TableIndex({ name: 'IDX_prisoners_arrest_date', columnNames: ['arrest_date'] }))
    }
    const rows = (await queryRunner.query('SELECT id, document, editor_document AS "editorDocument" FROM prisoners')) as {
      id: string
      document: string
      editorDocument: string | null
    }[]
    // Raw SQL: a query builder would map the table through today's entity, which a landed migration must not follow.
    const marks = postgres ? ['$1', '$2', '$3', '$4', '$5'] : ['?', '?', '?', '?', '?']
    const update = `UPDATE prisoners SET document = ${marks[0]}, etag = ${marks[1]}, editor_document = ${marks[2]}, editor_etag = ${marks[3]} WHERE id = ${marks[4]}`
    for (const { id, document, editorDocument } of rows) {
      const shown = withArrestDate(document)
      const whole = editorDocument === null ? null : withArrestDate(editorDocument)
      await queryRunner.query(update, [shown, etagOf(shown), whole, whole === null ? null : etagOf(whole), id])
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('prisoners', 'IDX_prisoners_arrest_date')
    await queryRunner.dropColumn('prisoners', 'arrest_date')
  }
}
