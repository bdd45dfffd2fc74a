import { EntityManager, In } from 'typeorm'
import { Caller, canChange, hasRole } from '../../core/access/access'
import { CheckedClaim, CheckedField, FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { CitationView, EVENT_FIELDS, FieldView } from '../../core/record/fields'
import { requireCurrent } from '../../core/record/record-writer'
import { Database } from '../../db/database'
import { EventCitationEntity } from '../../db/entities/event-citation.entity'
import { EventClaimEntity } from '../../db/entities/event-claim.entity'
import { EventRevisionAction, EventRevisionEntity } from '../../db/entities/event-revision.entity'
import { EventEntity } from '../../db/entities/event.entity'
import { ProblemError } from '../../errors'
import type { Decision } from '../review/review.dto'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { EventWriteDto } from './events.dto'
import { EventDiff, EventsRepository, eventEtag } from './events.repository'

function requestedFields(input: EventWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(EVENT_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]!]))
}

/** The preferred value of a checked field as the column that lists filter on. */
const preferredText = (field: CheckedField | undefined): string | null | undefined =>
  field === undefined ? undefined : ((field.preferred?.value as string | undefined) ?? null)

/** What the public may read of an event: a published one, not deleted. */
const isPublic = (event: Pick<EventEntity, 'reviewStatus' | 'deletedAt'>) => event.reviewStatus === 'published' && event.deletedAt === null

const OUTCOME = { approve: 'published', reject: 'rejected' } as const

/** One revision's worth of change: who, why, and what happened to the event. */
interface Change {
  action: EventRevisionAction
  actor: string
  comment?: string | null
}

/**
 * Writes to events: each one transaction that appends a revision to the event's history, every value checked
 * against its sources as a record's, every change but the first on the event as read (If-Match). As records: an
 * editor's event is published at once; a volunteer's waits for an editor's review, and until then only its key
 * (which may still change it) and editors read it.
 */
export class EventsService {
  private readonly events: EventsRepository

  constructor(private readonly db: Database) {
    this.events = new EventsRepository(db)
  }

  async create(input: EventWriteDto, caller: Caller | null, { id = newId(), actor = caller?.name ?? 'seed' } = {}): Promise<string> {
    const fields = requestedFields(input)
    if (!Object.values(fields).some((field) => field.value !== null)) {
      throw new ProblemError('validation-failed', 'An event needs at least one cited value.', [
        { path: '', message: `give at least one of ${EVENT_FIELDS.join(', ')} with a value and its citations` },
      ])
    }
    await this.db.transaction(async (manager) => {
      if (await manager.existsBy(EventEntity, { id })) throw new ProblemError('conflict', `An event with id ${id} already exists.`)
      const checked = await checkEvidence(this.db, fields, caller)
      const at = now()
      const event = manager.create(EventEntity, {
        id,
        version: 1,
        kind: preferredText(checked.kind) ?? null,
        date: preferredText(checked.date) ?? null,
        createdBy: actor,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
        reviewStatus: caller === null || hasRole(caller, 'editor') ? 'published' : 'pending',
        submittedBy: caller?.id ?? null,
      })
      await manager.insert(EventEntity, event)
      const views = await insertClaims(manager, id, checked, at)
      const diff = Object.fromEntries(Object.entries(views).map(([field, after]) => [field, { before: null, after }]))
      await appendRevision(manager, event, { action: 'create', actor, comment: input.comment }, diff, isPublic(event))
    })
    return id
  }

  /**
   * A change of some fields, by an editor, or by the volunteer whose event waits for review: each field's claims
   * are replaced; the old ones stay, deprecated.
   */
  async update(id: string, ifMatch: string | undefined, input: EventWriteDto, caller: Caller): Promise<void> {
    const fields = requestedFields(input)
    if (Object.keys(fields).length === 0) {
      throw new ProblemError('validation-failed', 'The change names no field.', [{ path: '', message: `give at least one of ${EVENT_FIELDS.join(', ')}` }])
    }
    await this.db.transaction(async (manager) => {
      const { event, current } = await this.loadCurrent(manager, id, ifMatch, caller)
      const checked = await checkEvidence(this.db, fields, caller)
      const at = now()
      await manager.update(
        EventClaimEntity,
        { eventId: id, field: In(Object.keys(checked)), rank: In(['preferred', 'normal']) },
        { rank: 'deprecated', reason: `superseded in version ${event.version + 1}` },
      )
      const views = await insertClaims(manager, id, checked, at)
      const kind = preferredText(checked.kind)
      const date = preferredText(checked.date)
      const next = await advance(manager, event, at, { ...(kind === undefined ? {} : { kind }), ...(date === undefined ? {} : { date }) })
      const diff = Object.fromEntries(Object.entries(views).map(([field, after]) => [field, { before: current[field as keyof typeof current] as FieldView, after }]))
      await appendRevision(manager, next, { action: 'update', actor: caller.name, comment: input.comment }, diff, isPublic(next))
    })
  }

  /** Takes the event out of reads (soft): its claims, citations, links and history stay, and an editor can restore it. */
  remove(id: string, ifMatch: string | undefined, caller: Caller, comment?: string): Promise<void> {
    return this.setDeleted(id, ifMatch, caller, comment, true)
  }

  restore(id: string, ifMatch: string | undefined, caller: Caller, comment?: string): Promise<void> {
    return this.setDeleted(id, ifMatch, caller, comment, false)
  }

  private async setDeleted(id: string, ifMatch: string | undefined, caller: Caller, comment: string | undefined, deleted: boolean): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { event } = await this.loadCurrent(manager, id, ifMatch, caller, { deleted: !deleted })
      const at = now()
      const deletedAt = deleted ? at : null
      const next = await advance(manager, event, at, { deletedAt })
      const change = { action: deleted ? ('delete' as const) : ('restore' as const), actor: caller.name, comment }
      // A deletion of what the public saw reaches the feed too: a mirror takes the event down.
      await appendRevision(manager, next, change, { deletedAt: { before: event.deletedAt, after: deletedAt } }, isPublic(event) || isPublic(next))
    })
  }

  /**
   * An editor's decision on a volunteer's event: approval publishes it, and its revision carries every field at
   * once (what the public sees of it for the first time, as the events' feed shows it); rejection keeps it out of
   * reads for good.
   */
  async review(id: string, ifMatch: string | undefined, decision: Decision, caller: Caller, comment?: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { event, current } = await this.loadCurrent(manager, id, ifMatch, caller)
      if (event.reviewStatus !== 'pending') throw new ProblemError('conflict', `Event ${id} is not waiting for review: it is ${event.reviewStatus}.`)
      const reviewStatus = OUTCOME[decision]
      const next = await advance(manager, event, now(), { reviewStatus })
      const fields =
        decision === 'approve'
          ? Object.fromEntries(EVENT_FIELDS.filter((field) => current[field].value !== null).map((field) => [field, { before: null, after: current[field] }]))
          : {}
      const diff = { reviewStatus: { before: event.reviewStatus, after: reviewStatus }, ...fields }
      await appendRevision(manager, next, { action: 'review', actor: caller.name, comment }, diff, isPublic(next))
    })
  }

  /**
   * The event a change acts on: 404 when the caller cannot read it (or it is not in the state asked for); 403 when a
   * volunteer would change what is no longer theirs alone (published or rejected); then If-Match.
   */
  private async loadCurrent(manager: EntityManager, id: string, ifMatch: string | undefined, caller: Caller, { deleted = false } = {}) {
    const event = await manager.findOneBy(EventEntity, { id })
    if (!event || !canChange(caller, event) || (event.deletedAt !== null) !== deleted) {
      throw new ProblemError('not-found', deleted ? `No deleted event with id ${id}.` : `No event with id ${id}.`)
    }
    if (!hasRole(caller, 'editor') && event.reviewStatus !== 'pending') {
      throw new ProblemError('forbidden', `Event ${id} is ${event.reviewStatus}: only editors change it now.`)
    }
    const { event: current } = await this.events.find(id, caller)
    // The ETag the caller read: of the event as GET answered it to them (events.routes.ts).
    requireCurrent(ifMatch, eventEtag(current))
    return { event, current }
  }
}

/**
 * The event's next version, guarded by the version read: of two writers (instances) that passed If-Match at once,
 * the second changes nothing here and is answered 412.
 */
async function advance(manager: EntityManager, event: EventEntity, at: string, columns: Partial<EventEntity>): Promise<EventEntity> {
  const version = event.version + 1
  const { affected } = await manager.update(EventEntity, { id: event.id, version: event.version }, { ...columns, version, updatedAt: at })
  if (affected === 0) throw new ProblemError('precondition-failed', 'The event changed since you read it. Read it again and reapply your change.')
  return { ...event, ...columns, version, updatedAt: at }
}

/** Appends the revision; `visible`: whether the public saw the event before or after it (the events' feed). */
async function appendRevision(manager: EntityManager, event: EventEntity, change: Change, diff: EventDiff, visible: boolean): Promise<void> {
  await manager.insert(EventRevisionEntity, {
    public: visible,
    eventId: event.id,
    version: event.version,
    action: change.action,
    actor: change.actor,
    at: event.updatedAt,
    comment: change.comment ?? null,
    diff: JSON.stringify(diff),
  })
}

/** Stores the claims and citations of the checked fields; returns each field as reads will show it. */
async function insertClaims(manager: EntityManager, eventId: string, checked: Record<string, CheckedField>, at: string): Promise<Record<string, FieldView>> {
  const claims: EventClaimEntity[] = []
  const citations: EventCitationEntity[] = []
  const add = (field: string, claim: CheckedClaim, rank: 'preferred' | 'normal'): { claimId: string; citations: CitationView[] } => {
    const claimId = newId()
    claims.push(manager.create(EventClaimEntity, { id: claimId, eventId, field, value: JSON.stringify(claim.value), rank, reason: null, createdAt: at }))
    const views = claim.citations.map(({ sourceId, quote, start, end, note, private: isPrivate }) => {
      const id = newId()
      citations.push(manager.create(EventCitationEntity, { id, claimId, sourceId, quote, quoteStart: start, quoteEnd: end, note, createdAt: at }))
      return { id, sourceId, quote, start, end, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) }
    })
    return { claimId, citations: views }
  }
  const views: Record<string, FieldView> = {}
  for (const [field, { preferred, alternatives }] of Object.entries(checked)) {
    const chosen = preferred ? add(field, preferred, 'preferred') : null
    views[field] = {
      value: preferred ? preferred.value : null,
      claimId: chosen?.claimId ?? null,
      citations: chosen?.citations ?? [],
      alternatives: alternatives.map((alternative) => {
        const { claimId, citations: cited } = add(field, alternative, 'normal')
        return { claimId, value: alternative.value, rank: 'normal' as const, citations: cited }
      }),
    }
  }
  if (claims.length) await manager.insert(EventClaimEntity, claims)
  if (citations.length) await manager.insert(EventCitationEntity, citations)
  return views
}
