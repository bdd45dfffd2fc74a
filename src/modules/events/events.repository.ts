import { PUBLISHED_RECORDS, Identity } from '../../core/access/access'
import { publicCitation, readsWithheld } from '../../core/access/public-view'
import { CitationView, EVENT_FIELDS, EventField, FieldView } from '../../core/record/fields'
import { Database } from '../../db/database'
import { ProblemError } from '../../errors'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { strongEtag } from '../../shared/etag'
import { Comparison, Participant, compare } from './events.comparison'
import { ListEventsQuery } from './events.dto'

/** An event as reads show it: its cited fields, who took part, and what the two say against each other. */
export type EventDocument = {
  id: string
  version: number
  participants: Participant[]
  comparison: Comparison
  createdAt: string
  updatedAt: string
} & Record<EventField, FieldView>

/** What one revision of an event changed: fields before and after, and a delete or restore. */
export type EventDiff = Record<string, { before: FieldView | null; after: FieldView }> | { deletedAt: { before: string | null; after: string | null } }

export interface EventRevisionView {
  version: number
  action: string
  actor: string
  at: string
  comment: string | null
  changes: Record<string, unknown>
}

/** The JSON an event is answered as, and its ETag: If-Match is checked against the same. */
export const serialiseEvent = (event: EventDocument) => JSON.stringify(event)
export const eventEtag = (event: EventDocument) => strongEtag(serialiseEvent(event))

interface EventRow {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  date: string | null
  deletedAt: string | null
}

const EVENT_COLUMNS = 'id, version, created_at AS "createdAt", updated_at AS "updatedAt", date, deleted_at AS "deletedAt"'

interface ClaimRow {
  id: string
  eventId: string
  field: EventField
  value: string
  rank: 'preferred' | 'normal'
}

interface CitationRow {
  id: string
  claimId: string
  sourceId: string
  quote: string
  start: number | null
  end: number | null
  note: string | null
  private: boolean | number
}

const marks = (items: unknown[]) => items.map(() => '?').join(',')
const EMPTY: FieldView = { value: null, claimId: null, citations: [], alternatives: [] }
const DEFAULT_LIMIT = 20
// Newest first: events without a date last, below every real date.
const DATE_ORDER = "COALESCE(e.date, '')"

/** Reads of events, built from their claims and their participants' public columns at each read. */
export class EventsRepository {
  constructor(private readonly db: Database) {}

  /** An event as the caller reads it; a deleted one only for editors (with `deletedAt`), 404 for everyone else. */
  async find(id: string, identity: Identity): Promise<{ event: EventDocument; deletedAt: string | null }> {
    const rows = await this.db.all<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ?`, [id])
    if (rows.length === 0 || (rows[0].deletedAt !== null && !readsWithheld(identity))) throw new ProblemError('not-found', `No event with id ${id}.`)
    const [event] = await this.documents(rows, identity)
    return { event, deletedAt: rows[0].deletedAt }
  }

  /** The revisions of an event, newest first; citations of private sources as such, except to editors. */
  async history(id: string, identity: Identity): Promise<EventRevisionView[]> {
    await this.find(id, identity)
    const rows = await this.db.all<Omit<EventRevisionView, 'changes'> & { diff: string }>(
      'SELECT version, action, actor, at, comment, diff FROM event_revisions WHERE event_id = ? ORDER BY version DESC',
      [id],
    )
    const editor = readsWithheld(identity)
    const shown = (view: FieldView | null): FieldView | null =>
      view && {
        ...view,
        citations: view.citations.map((citation) => publicCitation(citation)),
        alternatives: view.alternatives.map((alternative) => ({ ...alternative, citations: alternative.citations.map((citation) => publicCitation(citation)) })),
      }
    return rows.map(({ diff, ...revision }) => {
      const changes = JSON.parse(diff) as Record<string, { before: unknown; after: unknown }>
      if (editor) return { ...revision, changes }
      return {
        ...revision,
        changes: Object.fromEntries(
          Object.entries(changes).map(([key, change]) =>
            key === 'deletedAt' ? [key, change] : [key, { before: shown(change.before as FieldView | null), after: shown(change.after as FieldView) }],
          ),
        ),
      }
    })
  }

  /** Events, newest first (those without a date last). */
  async list(query: ListEventsQuery, identity: Identity): Promise<{ data: EventDocument[]; next: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT
    const where: string[] = ['e.deleted_at IS NULL']
    const params: unknown[] = []
    if (query.kind) {
      where.push('e.kind = ?')
      params.push(query.kind)
    }
    if (query.cursor) {
      const [date, id] = decodeCursor(query.cursor, ['string', 'string'])
      where.push(`(${DATE_ORDER} < ? OR (${DATE_ORDER} = ? AND e.id > ?))`)
      params.push(date, date, id)
    }
    const rows = await this.db.all<EventRow & { position: string }>(
      `SELECT ${EVENT_COLUMNS}, ${DATE_ORDER} AS position FROM events e
       WHERE ${where.join(' AND ')} ORDER BY ${DATE_ORDER} DESC, e.id ASC LIMIT ?`,
      [...params, limit + 1],
    )
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return { data: await this.documents(page, identity), next: rows.length > limit ? encodeCursor([last.position, last.id]) : null }
  }

  /** The documents of some events, in their order, with three queries whatever their number. */
  private async documents(events: EventRow[], identity: Identity): Promise<EventDocument[]> {
    if (events.length === 0) return []
    const ids = events.map((event) => event.id)
    const claims = await this.db.all<ClaimRow>(
      `SELECT id, event_id AS "eventId", field, value, rank FROM event_claims
       WHERE event_id IN (${marks(ids)}) AND rank IN ('preferred', 'normal') ORDER BY created_at, id`,
      ids,
    )
    const citations = claims.length
      ? await this.db.all<CitationRow>(
          `SELECT c.id, c.claim_id AS "claimId", c.source_id AS "sourceId", c.quote, c.quote_start AS start, c.quote_end AS "end", c.note, s.private
           FROM event_citations c JOIN sources s ON s.id = c.source_id WHERE c.claim_id IN (${marks(claims)}) ORDER BY c.created_at, c.id`,
          claims.map((claim) => claim.id),
        )
      : []
    const participants = await this.db.all<Participant & { eventId: string }>(
      `SELECT ep.event_id AS "eventId", p.id, p.name, p.nationality FROM event_participants ep JOIN prisoners p ON p.id = ep.prisoner_id
       WHERE ep.event_id IN (${marks(ids)}) AND ${PUBLISHED_RECORDS.sql} ORDER BY p.sort_name, p.id`,
      [...ids, ...PUBLISHED_RECORDS.params],
    )

    const editor = readsWithheld(identity)
    const citationsOf = new Map<string, CitationView[]>()
    for (const { claimId, note, private: isPrivate, ...citation } of citations) {
      const view: CitationView = { ...citation, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) }
      citationsOf.set(claimId, [...(citationsOf.get(claimId) ?? []), editor ? view : publicCitation(view)])
    }
    return events.map(({ id, version, createdAt, updatedAt }) => {
      const fields = Object.fromEntries(EVENT_FIELDS.map((field) => [field, { ...EMPTY, citations: [], alternatives: [] } as FieldView]))
      for (const claim of claims.filter((row) => row.eventId === id)) {
        const value = JSON.parse(claim.value) as unknown
        const cited = citationsOf.get(claim.id) ?? []
        const view = fields[claim.field]
        if (claim.rank === 'preferred') Object.assign(view, { value, claimId: claim.id, citations: cited })
        else view.alternatives.push({ claimId: claim.id, value, rank: 'normal', citations: cited })
      }
      const people = participants.filter((row) => row.eventId === id).map(({ eventId: _event, ...participant }) => participant)
      const comparison = compare(fields.count.value as number | null, fields.composition.value as Record<string, number> | null, people)
      return { id, version, ...(fields as Record<EventField, FieldView>), participants: people, comparison, createdAt, updatedAt }
    })
  }
}
