import { PUBLIC_REVISIONS } from '../access/access'
import { publicActors, ShowActor } from '../access/actors'
import { Redacted, publicField } from '../access/public-view'
import { redactedFor } from '../access/redactions'
import { EVENT_FIELDS, FieldView } from '../document/fields'
import { Database } from '../../db/database'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { FieldChange, fieldChange } from './record-feed'

export interface EventChangeEntry {
  seq: number
  eventId: string
  version: number
  action: string
  actor: string
  at: string
  comment: string | null
  /** The event after the change: a mirror shows it while `published`. */
  state: 'published' | 'deleted'
  eventCreatedAt: string
  changes: FieldChange[]
}

type RevisionRow = Omit<EventChangeEntry, 'state' | 'changes'> & { diff: string; actorKey: string | null; actorRole: string | null }

const FIELDS = new Set<string>(EVENT_FIELDS)

/**
 * The events' changes in the order they were committed (every instance's writes take one lock, so `seq` grows in
 * commit order), field by field: what a mirror replays to hold the events `GET /v1/events` lists. As the records'
 * feed (/v1/changes), it is public whatever the key: a volunteer's event stays out until an editor approves it,
 * and that review carries all its fields at once; citations of private sources show only that they exist.
 */
export class EventFeed {
  constructor(private readonly db: Database) {}

  async page(since: string | undefined, limit = 100): Promise<{ data: EventChangeEntry[]; next: string; hasMore: boolean }> {
    const [after] = since ? (decodeCursor(since, ['count']) as number[]) : [0]
    const rows = await this.db.all<RevisionRow>(
      `SELECT r.id AS seq, r.event_id AS "eventId", r.version, r.action, r.actor, r.actor_key AS "actorKey", r.actor_role AS "actorRole", r.at, r.comment, r.diff, e.created_at AS "eventCreatedAt"
       FROM event_revisions r JOIN events e ON e.id = r.event_id
       WHERE ${PUBLIC_REVISIONS.sql} AND r.id > ? ORDER BY r.id LIMIT ?`,
      [...PUBLIC_REVISIONS.params, after, limit + 1],
    )
    const show = await publicActors(this.db)
    // The feed is public: quotes of redacted spans read marked, as on the event itself.
    const redacted = await redactedFor(this.db, null)
    const data = rows.slice(0, limit).map((row) => entry(row, show, redacted))
    const last = data.length ? data[data.length - 1].seq : after
    return { data, next: encodeCursor([last]), hasMore: rows.length > limit }
  }
}

function entry({ diff: json, actor, actorKey, actorRole, ...rest }: RevisionRow, show: ShowActor, redacted: Redacted): EventChangeEntry {
  const row = { ...rest, actor: show({ name: actor, key: actorKey, role: actorRole }) }
  const diff = JSON.parse(json) as Record<string, { before: FieldView | null; after: FieldView }>
  const changes = Object.entries(diff)
    .filter(([key]) => FIELDS.has(key))
    .map(([field, { before, after }]) => fieldChange(field, before && publicField(before, undefined, redacted), publicField(after, undefined, redacted)))
  return { ...row, state: row.action === 'delete' ? 'deleted' : 'published', changes }
}
