import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm'

/**
 * One machinery for cited subjects (docs/design.md §3.3): events keep their claims, citations, revisions and proposals
 * in tables of their own, with the columns records' have, and store their read documents at write time as records do.
 *
 * - `event_claims.withheld`: the claim model is one (db/entities/claim.entity.ts); every event claim so far is not
 *   withheld, so the default says what every existing row is.
 * - `events.document`, `events.editor_document`: the event's stored documents (core/record/event-documents.ts). They
 *   start empty: derived data, built by the app from the claims on start (derived_versions 'event-documents' is not
 *   recorded yet), and until then every read builds the event from its claims as before. No row moves and none is
 *   rewritten: ids, versions, ETags, history and the events' feed cursors (event_revisions ids) stay as they were.
 */
export class EventDocuments1752600000000 implements MigrationInterface {
  name = 'EventDocuments1752600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasColumn('event_claims', 'withheld'))) {
      await queryRunner.addColumn('event_claims', new TableColumn({ name: 'withheld', type: 'boolean', default: false, isNullable: false }))
    }
    const missing = []
    if (!(await queryRunner.hasColumn('events', 'document'))) missing.push(new TableColumn({ name: 'document', type: 'text', isNullable: true }))
    if (!(await queryRunner.hasColumn('events', 'editor_document'))) missing.push(new TableColumn({ name: 'editor_document', type: 'text', isNullable: true }))
    if (missing.length) await queryRunner.addColumns('events', missing)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('events', ['document', 'editor_document'])
    await queryRunner.dropColumn('event_claims', 'withheld')
  }
}
