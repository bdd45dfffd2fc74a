import type { Database } from '../../db/database'
import { PrisonerEntity } from '../../db/entities/prisoner.entity'
import { RecordWriter } from './record-writer'

/**
 * Records whose read documents lost their events during a rolling upgrade (docs/deploy.md): an instance of the
 * release before events, serving beside a migrated database, rebuilds the documents of the records it changes
 * with the fields it knows, so their `events` went while their rows in event_participants (which it never
 * touches) stayed: the event listed the person, the record named no event. Run on start, by one instance at
 * a time; once the previous release is gone it finds nothing.
 *
 * A document that names events has `"events":[` in its text (serialise in record-writer.ts); a quoted value
 * holding those words would be escaped, and is only ever a record this leaves alone.
 */
export async function repairDroppedEventLinks(database: Database): Promise<number> {
  const dropped = await database.all<{ id: string }>(
    `SELECT DISTINCT ep.prisoner_id AS id FROM event_participants ep JOIN prisoners p ON p.id = ep.prisoner_id
     WHERE p.document NOT LIKE ? ORDER BY ep.prisoner_id`,
    ['%"events":[%'],
  )
  for (const { id } of dropped) {
    await database.transaction(async (manager) => {
      const prisoner = await manager.findOneByOrFail(PrisonerEntity, { id })
      const links = await manager.query(database.sql('SELECT event_id AS "eventId" FROM event_participants WHERE prisoner_id = ?'), [id])
      await new RecordWriter(manager).restoreEvents(prisoner, (links as { eventId: string }[]).map(({ eventId }) => eventId))
    })
  }
  return dropped.length
}
