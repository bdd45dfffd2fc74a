import { createHash } from 'node:crypto'
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm'

/**
 * A record's cited `recognition` (the organisations that recognised the person as a political prisoner, and the date
 * of their statement): `prisoners.recognition_date` copies the public date so that `?recognitionDateFrom=`/`…To=`
 * filter and sort on a plain column, `prisoners.recognized_by` the organisations' names folded (`| viasna |`) for
 * `?recognizedBy=`, and every stored document (the public one and the editors') gains the empty field after the
 * others, where the writer puts it, so that each record reads with every field of the contract.
 */
const EMPTY_FIELD = { value: null, claimId: null, citations: [], alternatives: [] }

/** The ETag of a stored document, as src/shared/etag.ts makes it (frozen here: a migration never reads src/). */
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

function withRecognition(text: string): string {
  const { events, createdAt, updatedAt, ...fields } = JSON.parse(text) as Record<string, unknown>
  if ('recognition' in fields) return text
  return JSON.stringify({ ...fields, recognition: EMPTY_FIELD, ...(events === undefined ? {} : { events }), createdAt, updatedAt })
}

export class Recognition1752900000000 implements MigrationInterface {
  name = 'Recognition1752900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    if (!(await queryRunner.hasColumn('prisoners', 'recognition_date'))) {
      await queryRunner.addColumn('prisoners', new TableColumn({ name: 'recognition_date', type: 'varchar', length: '10', isNullable: true, ...bytewise }))
    }
    if (!(await queryRunner.hasColumn('prisoners', 'recognized_by'))) {
      await queryRunner.addColumn('prisoners', new TableColumn({ name: 'recognized_by', type: 'text', isNullable: true, ...bytewise }))
    }
    if (!(await queryRunner.getTable('prisoners'))?.indices.some((index) => index.name === 'IDX_prisoners_recognition_date')) {
      await queryRunner.createIndex('prisoners', new TableIndex({ name: 'IDX_prisoners_recognition_date', columnNames: ['recognition_date'] }))
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
      const shown = withRecognition(document)
      const whole = editorDocument === null ? null : withRecognition(editorDocument)
      await queryRunner.query(update, [shown, etagOf(shown), whole, whole === null ? null : etagOf(whole), id])
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('prisoners', 'IDX_prisoners_recognition_date')
    await queryRunner.dropColumn('prisoners', 'recognized_by')
    await queryRunner.dropColumn('prisoners', 'recognition_date')
  }
}
