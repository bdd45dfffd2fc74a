import { EntityManager } from 'typeorm'
import { isPublished } from '../access/access'
import type { EventRevisionAction } from '../../db/entities/revision.entity'
import { EventEntity } from '../../db/entities/event.entity'
import type { ClaimRank } from '../../db/entities/claim.entity'
import { ProblemError } from '../../errors'
import type { CheckedField } from '../evidence/evidence'
import type { EventField, FieldView } from '../document/fields'
import type { EventDocument } from '../document/event-document'
import { Change, SubjectWriter } from './subject-writer'
import { storeEventDocuments } from './event-documents'

/** What one revision of an event changed: fields before and after; a delete or restore (`deletedAt`); a review (`reviewStatus`). */
export type EventDiff = Record<string, { before: FieldView | null; after: FieldView } | { before: string | null; after: string | null }>

export type EventChange = Change<EventRevisionAction>

/** The preferred value of a checked field as the column that lists filter on. */
const preferredText = (field: CheckedField | undefined): string | null | undefined =>
  field === undefined ? undefined : ((field.preferred?.value as string | undefined) ?? null)

/** The columns lists filter on (kind, date) that a write of `checked` changes. */
function listedColumns(checked: Record<string, CheckedField>): Partial<EventEntity> {
  const kind = preferredText(checked.kind)
  const date = preferredText(checked.date)
  return { ...(kind === undefined ? {} : { kind }), ...(date === undefined ? {} : { date }) }
}

/**
 * The steps every write to an event is made of, inside the caller's transaction, as RecordWriter's are a record's:
 * claims, citations and the revision through the one writer of cited subjects (subject-writer.ts), then the event's
 * stored documents (event-documents.ts). Nothing else writes to events, event_claims, event_citations or event_revisions.
 */
export class EventWriter {
  constructor(private readonly manager: EntityManager) {}

  private subject(eventId: string): SubjectWriter {
    return new SubjectWriter(this.manager, 'event', eventId)
  }

  /** A new event (version 1) with the checked fields. */
  async create(event: Omit<EventEntity, 'version' | 'kind' | 'date' | 'document' | 'editorDocument'>, checked: Record<string, CheckedField>, change: EventChange): Promise<void> {
    if (await this.manager.existsBy(EventEntity, { id: event.id })) throw new ProblemError('conflict', `An event with id ${event.id} already exists.`)
    const row = this.manager.create(EventEntity, { ...event, version: 1, kind: null, date: null, ...listedColumns(checked), document: null, editorDocument: null })
    await this.manager.insert(EventEntity, row)
    const subject = this.subject(event.id)
    const made = subject.newFields(checked, 1, event.createdAt)
    await subject.insert(made)
    const diff = Object.fromEntries(Object.entries(made.views).map(([field, after]) => [field, { before: null, after }]))
    await this.finish(row, change, diff, isPublished(row))
  }

  /** Replaces the claims of the checked fields (the old ones stay, deprecated), as a new version: an editor's change, or an approved proposal. */
  async applyFields(event: EventEntity, current: EventDocument, checked: Record<string, CheckedField>, change: EventChange, at: string): Promise<void> {
    const subject = this.subject(event.id)
    const version = event.version + 1
    await subject.supersede(Object.keys(checked), version)
    const made = subject.newFields(checked, version, at)
    await subject.insert(made)
    const { views } = made
    const next = await this.advance(event, at, listedColumns(checked))
    const diff = Object.fromEntries(Object.entries(views).map(([field, after]) => [field, { before: current[field as EventField], after }]))
    await this.finish(next, change, diff, isPublished(next))
  }

  /** An editor's ranking of a claim of `field`: `view` is the field as it then reads, `demoted` the claim it made an alternative. */
  async rankClaim(
    event: EventEntity,
    field: EventField,
    before: FieldView,
    { claimId, rank, reason, demoted, view }: { claimId: string; rank: ClaimRank; reason: string; demoted: string | null; view: FieldView },
    change: EventChange,
    at: string,
  ): Promise<void> {
    const subject = this.subject(event.id)
    if (demoted) await subject.rankClaim(demoted, 'normal', `no longer preferred: ${reason}`)
    await subject.rankClaim(claimId, rank, reason)
    const listed = field === 'kind' || field === 'date' ? { [field]: (view.value as string | null) ?? null } : {}
    const next = await this.advance(event, at, listed)
    await this.finish(next, change, { [field]: { before, after: view } }, isPublished(next))
  }

  /** A change of the event's state rather than its fields (delete, restore, review): a new version; `visible` as the feed shows it. */
  async changeState(event: EventEntity, columns: Partial<EventEntity>, change: EventChange, diff: EventDiff, at: string, visible: (next: EventEntity) => boolean): Promise<void> {
    const next = await this.advance(event, at, columns)
    await this.finish(next, change, diff, visible(next))
  }

  /**
   * The event's next version, guarded by the version read: of two writers (instances) that passed If-Match at once,
   * the second changes nothing here and is answered 412.
   */
  private async advance(event: EventEntity, at: string, columns: Partial<EventEntity>): Promise<EventEntity> {
    const version = event.version + 1
    const { affected } = await this.manager.update(EventEntity, { id: event.id, version: event.version }, { ...columns, version, updatedAt: at })
    if (affected === 0) throw new ProblemError('precondition-failed', 'The event changed since you read it. Read it again and reapply your change.')
    return { ...event, ...columns, version, updatedAt: at }
  }

  /** Appends the revision (`visible`: whether the public saw the event before or after it) and stores the event's documents. */
  private async finish(event: EventEntity, change: EventChange, diff: EventDiff, visible: boolean): Promise<void> {
    await this.subject(event.id).appendRevision({ version: event.version, at: event.updatedAt, change, public: visible, diff: JSON.stringify(diff) })
    await storeEventDocuments(this.manager, event.id)
  }
}
