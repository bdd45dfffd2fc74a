import { EntityManager } from 'typeorm'
import { Caller, awaitsReview, canChange, hasRole, isDeleted, isPublished, proposalAwaitsReview, startingReviewStatus, wasRejected } from '../../core/access/access'
import { CheckedField, FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { EVENT_FIELDS, EventField } from '../../core/document/fields'
import { requireCurrent } from '../../core/record/record-writer'
import { Database } from '../../db/database'
import { EventClaimEntity } from '../../db/entities/claim.entity'
import { EventWriter } from '../../core/record/event-writer'
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
import { changedSince, pendingProposal, proposalView } from '../../core/record/proposals'
import { EventProposalView, EventsRepository } from '../../core/record/event-reads'
import { eventEtag } from '../../core/document/event-document'
import { actorOf, actorsShownTo, proposerOf, pseudonymFor, SEED_ACTOR } from '../../core/access/actors'

function requestedFields(input: EventWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(EVENT_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]!]))
}

const OUTCOME = { approve: 'published', reject: 'rejected' } as const

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
      const event = { id, createdBy: actor.name, createdAt: at, updatedAt: at, deletedAt: null, reviewStatus: startingReviewStatus(caller), submittedBy: caller?.id ?? null }
      await new EventWriter(manager).create(event, checked, { action: 'create', actor, comment: input.comment })
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
      await new EventWriter(manager).applyFields(event, current, checked, { action: 'update', actor: actorOf(caller), comment: input.comment }, now())
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
        const touched = await changedSince(manager, 'event', event.id, proposal.baseVersion, Object.keys(checked))
        if (touched.length) {
          throw new ProblemError(
            'conflict',
            `Since the proposal was made (version ${proposal.baseVersion}), ${touched.join(', ')} changed; reject it and ask for a new one on the event as it is now.`,
          )
        }
        const { event: current } = await this.events.find(event.id, caller)
        // The proposer is named by pseudonym only: the revision is public (docs/design.md §2, invariant 8).
        const why = `Approved proposal ${proposal.id} by ${await pseudonymFor(this.db, proposerOf(proposal))}${comment ? `: ${comment}` : ''}`
        await new EventWriter(manager).applyFields(event, current, checked, { action: 'review', actor: actorOf(caller), comment: why }, now())
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
      const change = { action: 'update' as const, actor: actorOf(caller), comment: `${field}: claim ${target.id} ${rank}: ${input.reason}` }
      await new EventWriter(manager).rankClaim(event, field, current[field], { claimId: target.id, rank, reason: input.reason, demoted, view }, change, now())
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
      const change = { action: deleted ? ('delete' as const) : ('restore' as const), actor: actorOf(caller), comment }
      // A deletion of what the public saw reaches the feed too: a mirror takes the event down.
      const diff = { deletedAt: { before: event.deletedAt, after: deletedAt } }
      await new EventWriter(manager).changeState(event, { deletedAt }, change, diff, at, (next) => isPublished(event) || isPublished(next))
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
      const fields =
        decision === 'approve'
          ? Object.fromEntries(EVENT_FIELDS.filter((field) => current[field].value !== null).map((field) => [field, { before: null, after: current[field] }]))
          : {}
      const diff = { reviewStatus: { before: event.reviewStatus, after: reviewStatus }, ...fields }
      await new EventWriter(manager).changeState(event, { reviewStatus }, { action: 'review', actor: actorOf(caller), comment }, diff, now(), isPublished)
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

