import { EntityManager, In, MoreThan } from 'typeorm'
import { Caller, awaitsReview, canChange, hasRole, isDeleted, isPublished, proposalAwaitsReview, startingReviewStatus, wasRejected } from '../../core/access/access'
import { CheckedClaim, CheckedField, FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { CitationView, EVENT_FIELDS, EventField, FieldView } from '../../core/document/fields'
import { requireCurrent } from '../../core/record/record-writer'
import { Database } from '../../db/database'
import { EventCitationEntity } from '../../db/entities/event-citation.entity'
import { EventClaimEntity } from '../../db/entities/event-claim.entity'
import { EventRevisionAction, EventRevisionEntity } from '../../db/entities/event-revision.entity'
import { appendToHistory } from '../../core/history/chain'
import { EventEntity } from '../../db/entities/event.entity'
import { ProblemError } from '../../errors'
import type { Decision } from '../../shared/review-decision.dto'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { EventWriteDto } from './events.dto'
import { RankClaimDto } from '../../core/record/rank-claim.dto'
import { readClaims } from '../../core/record/claim-reads'
import { citationsInField, reRanked } from '../../core/record/claim-ranks'
import type { ClaimRank } from '../../db/entities/claim.entity'
import { EventProposalEntity } from '../../db/entities/proposal.entity'
import { pendingProposal, proposalView } from '../../core/record/proposals'
import { EventDiff, EventProposalView, EventsRepository } from './events.repository'
import { EventDocument, eventEtag } from '../../core/document/event-document'
import { Actor, actorOf, actorsShownTo, proposerOf, pseudonymFor, SEED_ACTOR } from '../../core/access/actors'

function requestedFields(input: EventWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(EVENT_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]!]))
}

/** The preferred value of a checked field as the column that lists filter on. */
const preferredText = (field: CheckedField | undefined): string | null | undefined =>
  field === undefined ? undefined : ((field.preferred?.value as string | undefined) ?? null)

const OUTCOME = { approve: 'published', reject: 'rejected' } as const

/** One revision's worth of change: who, why, and what happened to the event. */
interface Change {
  action: EventRevisionAction
  actor: Actor
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

  async create(input: EventWriteDto, caller: Caller | null, { id = newId(), actor = caller === null ? SEED_ACTOR : actorOf(caller) } = {}): Promise<string> {
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
        createdBy: actor.name,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
        reviewStatus: startingReviewStatus(caller),
        submittedBy: caller?.id ?? null,
      })
      await manager.insert(EventEntity, event)
      const views = await insertClaims(manager, id, 1, checked, at)
      const diff = Object.fromEntries(Object.entries(views).map(([field, after]) => [field, { before: null, after }]))
      await appendRevision(manager, event, { action: 'create', actor, comment: input.comment }, diff, isPublished(event))
    })
    return id
  }

  /**
   * A change of some fields: applied when an editor makes it, or the volunteer whose event waits for review; held
   * for an editor (a proposal, returned) when a volunteer changes a published event. Each field's claims are
   * replaced; the old ones stay, deprecated.
   */
  async change(id: string, ifMatch: string | undefined, input: EventWriteDto, caller: Caller): Promise<EventProposalView | null> {
    const fields = requestedFields(input)
    if (Object.keys(fields).length === 0) {
      throw new ProblemError('validation-failed', 'The change names no field.', [{ path: '', message: `give at least one of ${EVENT_FIELDS.join(', ')}` }])
    }
    return this.db.transaction(async (manager) => {
      const { event, current } = await this.loadCurrent(manager, id, ifMatch, caller)
      const checked = await checkEvidence(this.db, fields, caller)
      if (!hasRole(caller, 'editor') && isPublished(event)) {
        const proposal = manager.create(EventProposalEntity, { ...pendingProposal(caller, event.version, checked, input.comment), eventId: id })
        await manager.insert(EventProposalEntity, proposal)
        return proposalView(proposal, await actorsShownTo(this.db, caller))
      }
      await applyFields(manager, event, current, checked, { action: 'update', actor: actorOf(caller), comment: input.comment })
      return null
    })
  }

  /**
   * An editor's decision on a volunteer's proposed change: approval applies it as a new version (409 when a field it
   * changes was changed by someone else after the volunteer read the event: no silent overwrite); either way the
   * proposal keeps the decision.
   */
  async reviewProposal(proposalId: string, decision: Decision, caller: Caller, comment?: string): Promise<EventProposalView> {
    return this.db.transaction(async (manager) => {
      const proposal = await manager.findOneBy(EventProposalEntity, { id: proposalId })
      if (!proposal) throw new ProblemError('not-found', `No event proposal with id ${proposalId}.`)
      if (!proposalAwaitsReview(proposal)) throw new ProblemError('conflict', `Proposal ${proposalId} was already ${proposal.status} by ${proposal.decidedBy}.`)
      if (decision === 'approve') {
        const event = await manager.findOneBy(EventEntity, { id: proposal.eventId })
        if (!event || !isPublished(event)) throw new ProblemError('conflict', `Event ${proposal.eventId} is no longer published; the proposal cannot be applied.`)
        const checked = JSON.parse(proposal.fields) as Record<string, CheckedField>
        await requireUnchangedSince(manager, proposal, Object.keys(checked))
        const { event: current } = await this.events.find(event.id, caller)
        // The proposer is named by pseudonym only: the revision is public (docs/design.md §2, invariant 8).
        const why = `Approved proposal ${proposal.id} by ${await pseudonymFor(this.db, proposerOf(proposal))}${comment ? `: ${comment}` : ''}`
        await applyFields(manager, event, current, checked, { action: 'review', actor: actorOf(caller), comment: why })
      }
      const decided = { status: decision === 'approve' ? ('approved' as const) : ('rejected' as const), decidedBy: caller.name, decidedByKey: caller.id, decidedByRole: caller.role, decidedAt: now(), decisionComment: comment ?? null }
      await manager.update(EventProposalEntity, { id: proposal.id }, decided)
      return proposalView({ ...proposal, ...decided }, await actorsShownTo(this.db, caller))
    })
  }

  /** An editor re-ranks a claim of a field: chooses the preferred value, or demotes or deprecates one, with a reason. */
  async rank(id: string, field: EventField, ifMatch: string | undefined, input: RankClaimDto, caller: Caller): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { event, current } = await this.loadCurrent(manager, id, ifMatch, caller)
      const target = await manager.findOneBy(EventClaimEntity, { id: input.claimId, eventId: id, field })
      if (!target) {
        throw new ProblemError('validation-failed', `Claim ${input.claimId} is not a claim of ${field} of this event.`, [
          { path: '/claimId', message: `see GET /v1/events/${id}/fields/${field} for its claims` },
        ])
      }
      const rank = input.rank as ClaimRank
      const citations = citationsInField(current[field], target.id) ?? (await readClaims(this.db, 'event', id, field)).find((claim) => claim.id === target.id)!.citations
      const { view, demoted } = reRanked(current[field], { id: target.id, value: JSON.parse(target.value), rank: target.rank, citations }, rank)
      if (demoted) await manager.update(EventClaimEntity, { id: demoted }, { rank: 'normal', reason: `no longer preferred: ${input.reason}` })
      await manager.update(EventClaimEntity, { id: target.id }, { rank, reason: input.reason })
      const listed = field === 'kind' || field === 'date' ? { [field]: (view.value as string | null) ?? null } : {}
      const next = await advance(manager, event, now(), listed)
      const change = { action: 'update' as const, actor: actorOf(caller), comment: `${field}: claim ${target.id} ${rank}: ${input.reason}` }
      await appendRevision(manager, next, change, { [field]: { before: current[field], after: view } }, isPublished(next))
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
      const change = { action: deleted ? ('delete' as const) : ('restore' as const), actor: actorOf(caller), comment }
      // A deletion of what the public saw reaches the feed too: a mirror takes the event down.
      await appendRevision(manager, next, change, { deletedAt: { before: event.deletedAt, after: deletedAt } }, isPublished(event) || isPublished(next))
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
      if (!awaitsReview(event)) throw new ProblemError('conflict', `Event ${id} is not waiting for review: it is ${event.reviewStatus}.`)
      const reviewStatus = OUTCOME[decision]
      const next = await advance(manager, event, now(), { reviewStatus })
      const fields =
        decision === 'approve'
          ? Object.fromEntries(EVENT_FIELDS.filter((field) => current[field].value !== null).map((field) => [field, { before: null, after: current[field] }]))
          : {}
      const diff = { reviewStatus: { before: event.reviewStatus, after: reviewStatus }, ...fields }
      await appendRevision(manager, next, { action: 'review', actor: actorOf(caller), comment }, diff, isPublished(next))
    })
  }

  /**
   * The event a change acts on: 404 when the caller cannot read it (or it is not in the state asked for); 403 when a
   * volunteer would change an event an editor rejected; then If-Match.
   */
  private async loadCurrent(manager: EntityManager, id: string, ifMatch: string | undefined, caller: Caller, { deleted = false } = {}) {
    const event = await manager.findOneBy(EventEntity, { id })
    if (!event || !canChange(caller, event) || isDeleted(event) !== deleted) {
      throw new ProblemError('not-found', deleted ? `No deleted event with id ${id}.` : `No event with id ${id}.`)
    }
    if (!hasRole(caller, 'editor') && wasRejected(event)) {
      throw new ProblemError('forbidden', `Event ${id} was rejected: only editors change it now.`)
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

/**
 * Replaces the claims of the checked fields (the old ones stay, deprecated), as a new version with its revision:
 * an editor's change, or an approved proposal.
 */
async function applyFields(manager: EntityManager, event: EventEntity, current: EventDocument, checked: Record<string, CheckedField>, change: Change): Promise<void> {
  const at = now()
  await manager.update(
    EventClaimEntity,
    { eventId: event.id, field: In(Object.keys(checked)), rank: In(['preferred', 'normal']) },
    { rank: 'deprecated', reason: `superseded in version ${event.version + 1}` },
  )
  const views = await insertClaims(manager, event.id, event.version + 1, checked, at)
  const kind = preferredText(checked.kind)
  const date = preferredText(checked.date)
  const next = await advance(manager, event, at, { ...(kind === undefined ? {} : { kind }), ...(date === undefined ? {} : { date }) })
  const diff = Object.fromEntries(Object.entries(views).map(([field, after]) => [field, { before: current[field as EventField], after }]))
  await appendRevision(manager, next, change, diff, isPublished(next))
}

/** 409 when a field the proposal changes was changed by a revision after the version the volunteer read. */
async function requireUnchangedSince(manager: EntityManager, proposal: EventProposalEntity, fields: string[]): Promise<void> {
  const later = await manager.find(EventRevisionEntity, { where: { eventId: proposal.eventId, version: MoreThan(proposal.baseVersion) } })
  const touched = fields.filter((field) => later.some((revision) => field in (JSON.parse(revision.diff) as Record<string, unknown>)))
  if (touched.length) {
    throw new ProblemError(
      'conflict',
      `Since the proposal was made (version ${proposal.baseVersion}), ${touched.join(', ')} changed; reject it and ask for a new one on the event as it is now.`,
    )
  }
}

/** Appends the revision; `visible`: whether the public saw the event before or after it (the events' feed). */
async function appendRevision(manager: EntityManager, event: EventEntity, change: Change, diff: EventDiff, visible: boolean): Promise<void> {
  await manager.insert(EventRevisionEntity, {
    public: visible,
    eventId: event.id,
    version: event.version,
    action: change.action,
    actor: change.actor.name,
    actorKey: change.actor.key,
    actorRole: change.actor.role,
    at: event.updatedAt,
    comment: change.comment ?? null,
    diff: JSON.stringify(diff),
  })
  await appendToHistory(manager, 'event-revision', event.id, event.version)
}

/** Stores the claims and citations of the checked fields; returns each field as reads will show it. */
async function insertClaims(manager: EntityManager, eventId: string, version: number, checked: Record<string, CheckedField>, at: string): Promise<Record<string, FieldView>> {
  const claims: EventClaimEntity[] = []
  const citations: EventCitationEntity[] = []
  const add = (field: string, claim: CheckedClaim, rank: 'preferred' | 'normal'): { claimId: string; citations: CitationView[] } => {
    const claimId = newId()
    claims.push(manager.create(EventClaimEntity, { id: claimId, eventId, field, value: JSON.stringify(claim.value), rank, reason: null, version, createdAt: at }))
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
