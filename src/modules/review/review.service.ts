import type { WriteMode } from '../../shared/dry-run'
import { Caller, Identity, PENDING_PROPOSALS, awaitingReview, awaitsReview, canReadProposal, proposalAwaitsReview } from '../../core/access/access'
import { RevisionDiff } from '../../core/document/revision-diff'
import { Database } from '../../db/database'
import { ProposalEntity } from '../../db/entities/proposal.entity'
import { ProblemError } from '../../errors'
import { now } from '../../shared/time'
import { PrisonerDocument } from '../../core/document/fields'
import { ProposalView, changedSince, recordProposalView } from '../../core/record/proposals'
import { requireEvents } from '../../core/record/required-events'
import { RecordWriter, WrittenRecord, fullDocument } from '../../core/record/record-writer'
import { CheckedField } from '../../core/evidence/evidence'
import { unsupportedValues, type ValueWarning } from '../../core/evidence/value-support'
import { Decision } from '../../shared/review-decision.dto'
import { EventProposalView, EventsRepository, PendingEvent } from '../../core/record/event-reads'
import { actorOf, actorOfRow, actorsShownTo, proposerOf, pseudonymFor } from '../../core/access/actors'

export interface PendingRecord {
  id: string
  createdBy: string
  createdAt: string
  etag: string
  record: PrisonerDocument
  /** What an editor should check: values no quote of theirs seems to say. */
  warnings: ValueWarning[]
}

const OUTCOME = { approve: 'published', reject: 'rejected' } as const

const PROPOSAL_COLUMNS = `id, prisoner_id AS "prisonerId", base_version AS "baseVersion", fields, events, comment, proposed_by AS "proposedBy",
  proposed_by_key AS "proposedByKey", proposed_at AS "proposedAt", status, decided_by AS "decidedBy",
  decided_by_key AS "decidedByKey", decided_by_role AS "decidedByRole", decided_at AS "decidedAt", decision_comment AS "decisionComment"`

/** Editors' review of what volunteers submit: new records and proposed changes. */
export class ReviewService {
  constructor(private readonly db: Database) {}

  /** Everything waiting for an editor, oldest first. */
  async pending(editor: Caller): Promise<{ records: PendingRecord[]; proposals: ProposalView[]; events: PendingEvent[]; eventProposals: EventProposalView[] }> {
    const waiting = awaitingReview('p')
    const show = await actorsShownTo(this.db, editor)
    const records = (
      await this.db.all<{ id: string; createdAt: string; etag: string; document: string; actor: string; actorKey: string | null; actorRole: string | null }>(
        // The queue is an editor's: records whole, withheld values included.
        `SELECT p.id, p.created_at AS "createdAt", COALESCE(p.editor_etag, p.etag) AS etag, COALESCE(p.editor_document, p.document) AS document,
           r.actor, r.actor_key AS "actorKey", r.actor_role AS "actorRole" FROM prisoners p
         JOIN revisions r ON r.prisoner_id = p.id AND r.version = 1
         WHERE ${waiting.sql} ORDER BY p.created_at, p.id`,
        waiting.params,
      )
    ).map(({ id, createdAt, etag, document, ...actor }) => {
      const record = JSON.parse(document) as PrisonerDocument
      return { id, createdBy: show(actorOfRow(actor)), createdAt, etag, record, warnings: unsupportedValues(record as unknown as Record<string, unknown>) }
    })
    const proposals = (
      await this.db.all<ProposalEntity>(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE ${PENDING_PROPOSALS.sql} ORDER BY proposed_at, id`, PENDING_PROPOSALS.params)
    ).map(
      (row) => recordProposalView(row, show),
    )
    const events = new EventsRepository(this.db)
    return { records, proposals, events: await events.pending(editor), eventProposals: await events.pendingProposals(editor) }
  }

  /** A proposal, for the key that made it and for editors; for anyone else it does not exist. */
  async proposal(id: string, identity: Identity): Promise<ProposalView> {
    const row = await this.db.get<ProposalEntity>(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE id = ?`, [id])
    if (!row || !canReadProposal(identity, row)) throw new ProblemError('not-found', `No proposal with id ${id}.`)
    return recordProposalView(row, await actorsShownTo(this.db, identity))
  }

  /** Publishes or rejects a record a volunteer created. */
  reviewRecord(id: string, ifMatch: string | undefined, decision: Decision, caller: Caller, comment?: string, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      if (!awaitsReview(prisoner)) {
        throw new ProblemError('conflict', `Record ${id} is not waiting for review: it is ${prisoner.reviewStatus}.`)
      }
      const after = OUTCOME[decision]
      return writer.changeState(prisoner, { reviewStatus: after }, { action: 'review', actor: actorOf(caller), comment }, {
        reviewStatus: { before: 'pending', after },
      })
    }, mode)
  }

  /**
   * Applies or rejects a volunteer's proposed change. Approval refuses (409) when a field it changes
   * was changed by someone else after the volunteer read the record: no silent overwrite.
   */
  reviewProposal(id: string, decision: Decision, caller: Caller, comment?: string, mode: WriteMode = {}): Promise<ProposalView> {
    const actor = actorOf(caller)
    return this.db.transaction(async (manager) => {
      const proposal = await manager.findOneBy(ProposalEntity, { id })
      if (!proposal) throw new ProblemError('not-found', `No proposal with id ${id}.`)
      if (!proposalAwaitsReview(proposal)) {
        throw new ProblemError('conflict', `Proposal ${id} was already ${proposal.status} by ${proposal.decidedBy}.`)
      }
      const writer = new RecordWriter(manager)
      const prisoner = await writer.find(proposal.prisonerId)
      const fields = JSON.parse(proposal.fields) as Record<string, CheckedField>
      // The proposer is named by pseudonym only: the revision is public (docs/design.md §2, invariant 8).
      const proposedBy = await pseudonymFor(this.db, proposerOf(proposal))
      const why = `${decision === 'approve' ? 'Approved' : 'Rejected'} proposal ${id} by ${proposedBy}${comment ? `: ${comment}` : ''}`
      const change = { action: 'review' as const, actor, comment: why }
      const outcome = decision === 'approve' ? ('approved' as const) : ('rejected' as const)
      const decided: RevisionDiff = { proposal: { id, proposedBy, before: 'pending', after: outcome } }

      if (decision === 'approve') {
        const events = proposal.events === null ? undefined : (JSON.parse(proposal.events) as string[])
        const clashes = await changedSince(manager, 'record', prisoner.id, proposal.baseVersion, [...Object.keys(fields), ...(events ? ['events'] : [])])
        if (clashes.length) {
          throw new ProblemError(
            'conflict',
            `Since the proposal was made, ${clashes.join(', ')} changed on the record: reject it and ask for a new one.`,
          )
        }
        // An event named may have been deleted, or taken back to review, since the proposal was made.
        await requireEvents(this.db, events)
        await writer.applyFields(prisoner, fullDocument(prisoner), fields, change, decided, events)
      } else {
        await writer.changeState(prisoner, {}, change, decided)
      }
      Object.assign(proposal, { status: outcome, decidedBy: actor.name, decidedByKey: actor.key, decidedByRole: actor.role, decidedAt: now(), decisionComment: comment ?? null })
      await manager.save(ProposalEntity, proposal)
      return recordProposalView(proposal, await actorsShownTo(this.db, caller))
    }, mode)
  }
}
