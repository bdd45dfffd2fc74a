import { Caller, isDeleted, stateOf, submittedBy } from '../../core/access/access'
import { actorsShownTo, ShowActor } from '../../core/access/actors'
import { Database } from '../../db/database'

/** One of the caller's records, and where it stands in review. */
export interface SubmittedRecord {
  id: string
  name: string | null
  state: 'pending' | 'published' | 'rejected' | 'deleted'
  createdAt: string
  updatedAt: string
  /** Its current ETag, for a change; null once deleted (it can no longer be read with a volunteer's key). */
  etag: string | null
}

/** One of the caller's proposed changes, and its outcome. */
export interface SubmittedProposal {
  id: string
  prisonerId: string
  status: string
  proposedAt: string
  decidedBy: string | null
  decidedAt: string | null
  decisionComment: string | null
}

/** One of the caller's events, and where it stands in review. */
export interface SubmittedEvent {
  id: string
  kind: string | null
  date: string | null
  state: 'pending' | 'published' | 'rejected' | 'deleted'
  createdAt: string
  updatedAt: string
}

/** One of the caller's proposed changes of an event, and its outcome. */
export type SubmittedEventProposal = Omit<SubmittedProposal, 'prisonerId'> & { eventId: string }

const LISTED = 200

/** Who decided a proposal, as stored. */
interface DeciderColumns {
  decidedByKey: string | null
  decidedByRole: string | null
}

/** A proposal with its decider shown as the caller is shown actors (core/access/actors.ts). */
function withDecider<P extends { decidedBy: string | null } & DeciderColumns>({ decidedByKey, decidedByRole, ...proposal }: P, show: ShowActor) {
  return { ...proposal, decidedBy: proposal.decidedBy === null ? null : show({ name: proposal.decidedBy, key: decidedByKey, role: decidedByRole }) }
}

/** What a key submitted: its records and its proposals, newest first, each with its state. */
export class SubmissionsService {
  constructor(private readonly db: Database) {}

  async of(
    caller: Caller,
  ): Promise<{ records: SubmittedRecord[]; proposals: SubmittedProposal[]; events: SubmittedEvent[]; eventProposals: SubmittedEventProposal[] }> {
    const owned = submittedBy(caller)
    const records = (
      await this.db.all<Omit<SubmittedRecord, 'state'> & { reviewStatus: SubmittedRecord['state']; deletedAt: string | null }>(
        `SELECT p.id, p.name, p.review_status AS "reviewStatus", p.deleted_at AS "deletedAt", p.created_at AS "createdAt",
           p.updated_at AS "updatedAt", p.etag FROM prisoners p WHERE ${owned.records} ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
        [...owned.params, LISTED],
      )
    ).map(({ reviewStatus, deletedAt, etag, ...record }) => ({
        ...record,
        state: stateOf({ reviewStatus, deletedAt }),
        etag: isDeleted({ reviewStatus, deletedAt }) ? null : etag,
      }))
    const show = await actorsShownTo(this.db, caller)
    const proposals = (await this.db.all<SubmittedProposal & DeciderColumns>(
      `SELECT id, prisoner_id AS "prisonerId", status, proposed_at AS "proposedAt", decided_by AS "decidedBy",
         decided_by_key AS "decidedByKey", decided_by_role AS "decidedByRole", decided_at AS "decidedAt",
         decision_comment AS "decisionComment" FROM proposals WHERE ${owned.proposals} ORDER BY proposed_at DESC, id DESC LIMIT ?`,
      [...owned.params, LISTED],
    )).map((row) => withDecider(row, show))
    const events = (
      await this.db.all<Omit<SubmittedEvent, 'state'> & { reviewStatus: SubmittedEvent['state']; deletedAt: string | null }>(
        `SELECT e.id, e.kind, e.date, e.review_status AS "reviewStatus", e.deleted_at AS "deletedAt", e.created_at AS "createdAt",
           e.updated_at AS "updatedAt" FROM events e WHERE ${owned.events} ORDER BY e.created_at DESC, e.id DESC LIMIT ?`,
        [...owned.params, LISTED],
      )
    ).map(({ reviewStatus, deletedAt, ...event }) => ({ ...event, state: stateOf({ reviewStatus, deletedAt }) }))
    const eventProposals = (await this.db.all<SubmittedEventProposal & DeciderColumns>(
      `SELECT id, event_id AS "eventId", status, proposed_at AS "proposedAt", decided_by AS "decidedBy",
         decided_by_key AS "decidedByKey", decided_by_role AS "decidedByRole", decided_at AS "decidedAt",
         decision_comment AS "decisionComment" FROM event_proposals WHERE ${owned.proposals} ORDER BY proposed_at DESC, id DESC LIMIT ?`,
      [...owned.params, LISTED],
    )).map((row) => withDecider(row, show))
    return { records, proposals, events, eventProposals }
  }
}
