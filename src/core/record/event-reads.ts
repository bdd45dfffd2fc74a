import { PENDING_PROPOSALS, PUBLISHED_EVENTS, PUBLISHED_RECORDS, Identity, awaitingReview, canRead, canReadProposal } from '../access/access'
import { EventProposalEntity } from '../../db/entities/proposal.entity'
import { proposalView } from './proposals'
import { ClaimView, readClaims } from './claim-reads'
import { Redacted, publicCitation, publicField, readsWithheld } from '../access/public-view'
import { redactedFor } from '../access/redactions'
import { EventField, FieldView } from '../document/fields'
import type { Reads } from '../../db/read-store'
import { ProblemError } from '../../errors'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { Participant } from '../document/event-comparison'
import { EventDocument, eventEtag } from '../document/event-document'
import { actorsShownTo } from '../access/actors'
import { EventCitationRow, EventClaimRow, EventFields, eventDocument, eventFields, storedFields } from './event-documents'

/** What a page of events is asked for (ListEventsQuery of the events module validates it). */
export interface EventsQuery {
  kind?: string
  limit?: number
  cursor?: string
}

/** The keys of an event's diff that are not fields. */
export const STATE_KEYS = new Set(['deletedAt', 'reviewStatus'])

/** A volunteer's proposed change of an event, as answered. */
export type EventProposalView = ReturnType<typeof proposalView<EventProposalEntity>>

const PROPOSAL_COLUMNS = `id, event_id AS "eventId", base_version AS "baseVersion", fields, comment, proposed_by AS "proposedBy",
  proposed_by_key AS "proposedByKey", proposed_at AS "proposedAt", status, decided_by AS "decidedBy",
  decided_by_key AS "decidedByKey", decided_by_role AS "decidedByRole", decided_at AS "decidedAt", decision_comment AS "decisionComment"`

/** An event in the review queue, with the ETag a review's If-Match needs. */
export interface PendingEvent {
  id: string
  createdBy: string
  createdAt: string
  etag: string
  event: EventDocument
}

export interface EventRevisionView {
  version: number
  action: string
  actor: string
  at: string
  comment: string | null
  changes: Record<string, unknown>
}

interface EventRow {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  date: string | null
  deletedAt: string | null
  reviewStatus: string
  submittedBy: string | null
  document: string | null
  editorDocument: string | null
}

const EVENT_COLUMNS =
  'id, version, created_at AS "createdAt", updated_at AS "updatedAt", date, deleted_at AS "deletedAt", review_status AS "reviewStatus", ' +
  'submitted_by AS "submittedBy", document, editor_document AS "editorDocument"'

const marks = (items: unknown[]) => items.map(() => '?').join(',')
const DEFAULT_LIMIT = 20
const EXPORT_BATCH = 100
// Newest first: events without a date last, below every real date.
const DATE_ORDER = "COALESCE(e.date, '')"

/** Reads of events: their stored documents (event-documents.ts) and their participants' public columns. */
export class EventsRepository {
  /** On the database, or on one snapshot of it (the events export). */
  constructor(private readonly db: Reads) {}

  /**
   * An event as the caller reads it (core/access: published ones for all; a pending one for the key that submitted
   * it; everything, deleted included, for editors), with its review status and when it was deleted; 404 otherwise.
   */
  async find(id: string, identity: Identity): Promise<{ event: EventDocument; deletedAt: string | null; reviewStatus: string }> {
    const rows = await this.db.all<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ?`, [id])
    if (rows.length === 0 || !canRead(identity, rows[0])) throw new ProblemError('not-found', `No event with id ${id}.`)
    const [event] = await this.documents(rows, identity)
    return { event, deletedAt: rows[0].deletedAt, reviewStatus: rows[0].reviewStatus }
  }

  /** The revisions of an event, newest first; citations of private sources as such, except to editors. */
  async history(id: string, identity: Identity): Promise<EventRevisionView[]> {
    await this.find(id, identity)
    const show = await actorsShownTo(this.db, identity)
    const rows = (
      await this.db.all<Omit<EventRevisionView, 'changes'> & { diff: string; actorKey: string | null; actorRole: string | null }>(
        'SELECT version, action, actor, actor_key AS "actorKey", actor_role AS "actorRole", at, comment, diff FROM event_revisions WHERE event_id = ? ORDER BY version DESC',
        [id],
      )
    ).map(({ actorKey, actorRole, ...revision }) => ({ ...revision, actor: show({ name: revision.actor, key: actorKey, role: actorRole }) }))
    const editor = readsWithheld(identity)
    const redacted = await redactedFor(this.db, identity)
    const shown = (view: FieldView | null): FieldView | null => view && publicField(view, undefined, redacted)
    return rows.map(({ diff, ...revision }) => {
      const changes = JSON.parse(diff) as Record<string, { before: unknown; after: unknown }>
      if (editor) return { ...revision, changes }
      return {
        ...revision,
        changes: Object.fromEntries(
          Object.entries(changes).map(([key, change]) =>
            STATE_KEYS.has(key) ? [key, change] : [key, { before: shown(change.before as FieldView | null), after: shown(change.after as FieldView) }],
          ),
        ),
      }
    })
  }

  /** Published events, newest first (those without a date last): the public registry's, whatever the key. */
  async list(query: EventsQuery, identity: Identity): Promise<{ data: EventDocument[]; next: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT
    const where: string[] = [PUBLISHED_EVENTS.sql]
    const params: unknown[] = [...PUBLISHED_EVENTS.params]
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

  /** Every published event, in id order, as the public reads it: the events export (on one snapshot). */
  async published(): Promise<EventDocument[]> {
    const rows = await this.db.all<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE ${PUBLISHED_EVENTS.sql} ORDER BY e.id`, PUBLISHED_EVENTS.params)
    const documents: EventDocument[] = []
    // Batches keep each query's list of ids short (SQLite's and PostgreSQL's limits on bound parameters).
    for (let i = 0; i < rows.length; i += EXPORT_BATCH) documents.push(...(await this.documents(rows.slice(i, i + EXPORT_BATCH), null)))
    return documents
  }

  /** Every claim of one field, deprecated ones included, with the reasons of their ranks; private sources as such, except to editors. */
  async claims(id: string, field: EventField, identity: Identity): Promise<{ field: EventField; claims: ClaimView[] }> {
    await this.find(id, identity)
    const claims = await readClaims(this.db, 'event', id, field)
    if (readsWithheld(identity)) return { field, claims }
    const redacted = await redactedFor(this.db, identity)
    return { field, claims: claims.map((claim) => ({ ...claim, citations: claim.citations.map((citation) => publicCitation(citation, undefined, redacted)) })) }
  }

  /** A proposed change, for the key that made it and for editors; for anyone else it does not exist. */
  async proposal(id: string, identity: Identity): Promise<EventProposalView> {
    const row = await this.db.get<EventProposalEntity>(`SELECT ${PROPOSAL_COLUMNS} FROM event_proposals WHERE id = ?`, [id])
    if (!row || !canReadProposal(identity, row)) throw new ProblemError('not-found', `No event proposal with id ${id}.`)
    return proposalView(row, await actorsShownTo(this.db, identity))
  }

  /** Proposed changes waiting for an editor, oldest first (the review queue's). */
  async pendingProposals(identity: Identity): Promise<EventProposalView[]> {
    const rows = await this.db.all<EventProposalEntity>(
      `SELECT ${PROPOSAL_COLUMNS} FROM event_proposals WHERE ${PENDING_PROPOSALS.sql} ORDER BY proposed_at, id`,
      PENDING_PROPOSALS.params,
    )
    const show = await actorsShownTo(this.db, identity)
    return rows.map((row) => proposalView(row, show))
  }

  /** Volunteers' events waiting for review, oldest first: the review queue's (editors'). */
  async pending(identity: Identity): Promise<PendingEvent[]> {
    const waiting = awaitingReview('e')
    const rows = await this.db.all<EventRow & { createdBy: string }>(
      `SELECT ${EVENT_COLUMNS}, created_by AS "createdBy" FROM events e WHERE ${waiting.sql} ORDER BY e.created_at, e.id`,
      waiting.params,
    )
    const documents = await this.documents(rows, identity)
    return rows.map(({ id, createdBy, createdAt }, i) => ({ id, createdBy, createdAt, etag: eventEtag(documents[i]), event: documents[i] }))
  }

  /**
   * The documents of some events, in their order: their stored fields, and who took part (one query whatever their
   * number); the fields of an event whose stored document is not of its version are built from its claims.
   */
  private async documents(events: EventRow[], identity: Identity): Promise<EventDocument[]> {
    if (events.length === 0) return []
    const editor = readsWithheld(identity)
    const ids = events.map((event) => event.id)
    const fields = new Map<string, EventFields>()
    for (const event of events) {
      const stored = storedFields(event, editor)
      if (stored) fields.set(event.id, stored)
    }
    const unbuilt = ids.filter((id) => !fields.has(id))
    if (unbuilt.length) for (const [id, built] of await this.fromClaims(unbuilt, editor)) fields.set(id, built)
    const participants = await this.db.all<Participant & { eventId: string }>(
      `SELECT ep.event_id AS "eventId", p.id, p.name, p.nationality FROM event_participants ep JOIN prisoners p ON p.id = ep.prisoner_id
       WHERE ep.event_id IN (${marks(ids)}) AND ${PUBLISHED_RECORDS.sql} ORDER BY p.sort_name, p.id`,
      [...ids, ...PUBLISHED_RECORDS.params],
    )
    const redacted = await redactedFor(this.db, identity)
    return events.map((event) => {
      const people = participants.filter((row) => row.eventId === event.id).map(({ eventId: _event, ...participant }) => participant)
      return eventDocument(event, redactedFields(fields.get(event.id)!, redacted), people)
    })
  }

  /** The fields of some events built from their claims and citations, as the writer stores them. */
  private async fromClaims(ids: string[], editor: boolean): Promise<Map<string, EventFields>> {
    const claims = await this.db.all<EventClaimRow & { eventId: string }>(
      `SELECT id, event_id AS "eventId", field, value, rank FROM event_claims
       WHERE event_id IN (${marks(ids)}) AND rank IN ('preferred', 'normal') ORDER BY created_at, id`,
      ids,
    )
    const citations = claims.length
      ? await this.db.all<EventCitationRow>(
          `SELECT c.id, c.claim_id AS "claimId", c.source_id AS "sourceId", c.quote, c.quote_start AS start, c.quote_end AS "end", c.note, s.private
           FROM event_citations c JOIN sources s ON s.id = c.source_id WHERE c.claim_id IN (${marks(claims)}) ORDER BY c.created_at, c.id`,
          claims.map((claim) => claim.id),
        )
      : []
    return new Map(
      ids.map((id) => {
        const own = claims.filter((claim) => claim.eventId === id)
        const owned = new Set(own.map((claim) => claim.id))
        return [id, eventFields(own, citations.filter((citation) => owned.has(citation.claimId)), editor)]
      }),
    )
  }
}

/**
 * An event's fields with the redacted spans of the sources they cite marked, as everyone but editors reads them
 * (docs/design.md §2, invariant 8): an event's quote of withheld words that an editor redacted from the source's
 * public text shows the mark and no offsets, as a record's does. Applied at the read, so a redaction takes effect
 * on every event at once; none to apply for editors (`redactedFor` gives them none).
 */
function redactedFields(fields: EventFields, redacted: Redacted): EventFields {
  if (redacted.size === 0) return fields
  return Object.fromEntries(Object.entries(fields).map(([field, view]) => [field, publicField(view, undefined, redacted)])) as EventFields
}
