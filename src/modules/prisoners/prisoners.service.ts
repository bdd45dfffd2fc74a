import { Caller, Identity } from '../../core/access/access'
import type { WriteMode } from '../../shared/dry-run'
import { newId } from '../../shared/ids'
import { Database } from '../../db/database'
import { ReviewStatus } from '../../db/entities/prisoner.entity'
import { ProposalEntity } from '../../db/entities/proposal.entity'
import { ProposalView, pendingProposal, recordProposalView } from '../../core/record/proposals'
import { requireEvents } from '../../core/record/required-events'
import { ProblemError } from '../../errors'
import { now } from '../../shared/time'
import { FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { PRISONER_FIELDS } from '../../core/document/fields'
import { PrisonerWriteDto } from './prisoners.dto'
import { RecordWriter, WrittenRecord, asWritten, changesNothing, fullDocument } from '../../core/record/record-writer'
import { Actor, actorOf, actorsShownTo } from '../../core/access/actors'

export type { WrittenRecord } from '../../core/record/record-writer'

export interface WriteOptions {
  actor: Actor
  /** The id of the API key that submits the record (none for the seed): its author may follow it in review. */
  submittedBy?: string | null
  /** Only the seed chooses ids, so that re-seeding gives every record the same one. */
  id?: string
  /** Volunteers' records wait for an editor; editors' and the seed's are published at once. */
  reviewStatus?: ReviewStatus
  /** Check and build everything, then save nothing. */
  dryRun?: boolean
  /** Who writes, for what they may cite (private sources: editors); none for the seed. */
  caller?: Identity
}

function requestedFields(input: PrisonerWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(PRISONER_FIELDS.filter((field) => input[field] !== undefined).map((f) => [f, input[f]!]))
}

function requireSomeField(fields: Record<string, FieldInput>, events?: string[]) {
  if (Object.keys(fields).length === 0 && events === undefined) {
    throw new ProblemError('validation-failed', 'The change names no field.', [
      { path: '', message: `give at least one of ${PRISONER_FIELDS.join(', ')}, events` },
    ])
  }
}

/** Writes to prisoner records. Every method is one transaction that also appends a revision. */
export class PrisonersService {
  constructor(private readonly db: Database) {}

  create(input: PrisonerWriteDto, options: WriteOptions): Promise<WrittenRecord> {
    const fields = requestedFields(input)
    if (!Object.values(fields).some((field) => field.value !== null)) {
      throw new ProblemError('validation-failed', 'A record needs at least one cited value.', [
        { path: '', message: `give at least one of ${PRISONER_FIELDS.join(', ')} with a value and its citations` },
      ])
    }
    return this.db.transaction(async (manager) => {
      const checked = await checkEvidence(this.db, fields, options.caller ?? null)
      await requireEvents(this.db, input.events)
      const change = { action: 'create' as const, actor: options.actor, comment: input.comment }
      const id = options.id ?? newId()
      return new RecordWriter(manager).create(id, checked, options.reviewStatus ?? 'published', change, options.submittedBy ?? null, input.events)
    }, options)
  }

  /** An editor's change, applied at once. */
  update(id: string, ifMatch: string | undefined, input: PrisonerWriteDto, caller: Caller, mode: WriteMode = {}): Promise<WrittenRecord> {
    const fields = requestedFields(input)
    requireSomeField(fields, input.events)
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      const checked = await checkEvidence(this.db, fields, caller)
      await requireEvents(this.db, input.events)
      const before = fullDocument(prisoner)
      // Sending back what a record already says is not a change: no new version, no revision, no feed entry.
      if (changesNothing(before, checked, input.events)) return asWritten(prisoner)
      return writer.applyFields(prisoner, before, checked, { action: 'update', actor: actorOf(caller), comment: input.comment }, {}, input.events)
    }, mode)
  }

  /** A volunteer's change (of fields, of the record's events): checked like any write, then held for an editor instead of applied. */
  propose(id: string, ifMatch: string | undefined, input: PrisonerWriteDto, caller: Caller, mode: WriteMode = {}): Promise<ProposalView> {
    const fields = requestedFields(input)
    requireSomeField(fields, input.events)
    return this.db.transaction(async (manager) => {
      const prisoner = await new RecordWriter(manager).loadCurrent(id, ifMatch, caller)
      await requireEvents(this.db, input.events)
      const checked = await checkEvidence(this.db, fields, caller)
      const proposal = manager.create(ProposalEntity, {
        ...pendingProposal(caller, prisoner.version, checked, input.comment),
        prisonerId: id,
        events: input.events === undefined ? null : JSON.stringify(input.events),
      })
      await manager.insert(ProposalEntity, proposal)
      return recordProposalView(proposal, await actorsShownTo(this.db, caller))
    }, mode)
  }

  remove(id: string, ifMatch: string | undefined, caller: Caller, comment?: string, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      const at = now()
      const change = { action: 'delete' as const, actor: actorOf(caller), comment }
      return writer.changeState(prisoner, { deletedAt: at }, change, { deletedAt: { before: null, after: at } })
    }, mode)
  }

  restore(id: string, ifMatch: string | undefined, caller: Caller, comment?: string, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller, { deleted: true })
      const deletedAt = prisoner.deletedAt
      const change = { action: 'restore' as const, actor: actorOf(caller), comment }
      return writer.changeState(prisoner, { deletedAt: null }, change, { deletedAt: { before: deletedAt, after: null } })
    }, mode)
  }
}
