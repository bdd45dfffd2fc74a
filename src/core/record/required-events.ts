import { PUBLISHED_EVENTS } from '../access/access'
import type { Database } from '../../db/database'
import { ProblemError, describeProblems } from '../../errors'

/** 422 when a write links the record to an event that is not public: none, deleted, or waiting for review. */
export async function requireEvents(db: Database, ids: string[] | undefined): Promise<void> {
  if (!ids?.length) return
  const found = new Set(
    (await db.all<{ id: string }>(`SELECT e.id FROM events e WHERE e.id IN (${ids.map(() => '?').join(',')}) AND ${PUBLISHED_EVENTS.sql}`, [...ids, ...PUBLISHED_EVENTS.params])).map(
      (row) => row.id,
    ),
  )
  const errors = ids.flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `/events/${i}`, message: `no published event has id ${id} (none, deleted, or waiting for review); see GET /v1/events` }],
  )
  if (errors.length) throw new ProblemError('validation-failed', describeProblems(errors, 'events'), errors)
}
