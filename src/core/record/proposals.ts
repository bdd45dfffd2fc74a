import { EntityManager, EntityTarget, MoreThan, ObjectLiteral } from 'typeorm'
import type { Caller } from '../access/access'
import type { ShowActor } from '../access/actors'
import type { CheckedField } from '../evidence/evidence'
import { unsupportedValues, type ValueWarning } from '../evidence/value-support'
import type { ProposalColumns, ProposalEntity } from '../../db/entities/proposal.entity'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { SUBJECTS, SubjectKind } from './subject-writer'

/**
 * What every volunteer's proposal holds when it is made (of a record's change or an event's): the checked fields,
 * the version they were proposed on, who proposed them, and no decision yet. Each kind adds its subject.
 */
export function pendingProposal(caller: Caller, baseVersion: number, checked: Record<string, CheckedField>, comment: string | undefined): ProposalColumns {
  return {
    id: newId(),
    baseVersion,
    fields: JSON.stringify(checked),
    comment: comment ?? null,
    proposedBy: caller.name,
    proposedByKey: caller.id,
    proposedAt: now(),
    status: 'pending',
    decidedBy: null,
    decidedByKey: null,
    decidedByRole: null,
    decidedAt: null,
    decisionComment: null,
  }
}

/** A proposal as it is answered; the proposer's key id decides who reads it and is not shown. */
export function proposalView<P extends ProposalColumns>(
  { proposedByKey: _key, decidedByKey, decidedByRole, fields, ...entity }: P,
  show: ShowActor,
): Omit<P, 'proposedByKey' | 'decidedByKey' | 'decidedByRole' | 'fields'> & { fields: Record<string, unknown> } {
  const decidedBy = entity.decidedBy === null ? null : show({ name: entity.decidedBy, key: decidedByKey, role: decidedByRole })
  return { ...entity, decidedBy, fields: JSON.parse(fields) as Record<string, unknown> }
}

/** A change a volunteer proposed, waiting for review. */
export interface ProposalView {
  id: string
  prisonerId: string
  baseVersion: number
  fields: Record<string, unknown>
  /** The events the record would name instead of its own; null: left as they are. */
  events: string[] | null
  /** The proposed values that no quote of theirs seems to say, for the editor to check. */
  warnings: ValueWarning[]
  comment: string | null
  proposedBy: string
  proposedAt: string
  status: string
  decidedBy: string | null
  decidedAt: string | null
  decisionComment: string | null
}

/** A record's proposal as it is answered: `proposalView`, and the events it would link. */
export function recordProposalView(entity: ProposalEntity, show: ShowActor): ProposalView {
  const view = proposalView(entity, show)
  // Checked fields hold their value as `preferred`; the warnings read claims as a write sends them.
  const claims = Object.fromEntries(
    Object.entries(view.fields as Record<string, CheckedField>).map(([field, { preferred, alternatives }]) => [
      field,
      { value: preferred?.value ?? null, citations: preferred?.citations ?? [], alternatives },
    ]),
  )
  return { ...view, events: entity.events === null ? null : (JSON.parse(entity.events) as string[]), warnings: unsupportedValues(claims) }
}

/**
 * Of `changing` (the fields a proposal changes, and a record's `events`), those a revision of the subject changed
 * after `baseVersion`, the version the volunteer read: approving the proposal then would overwrite them silently
 * (docs/design.md §2, invariant 4), so each kind's review refuses it. The same for every cited subject.
 */
export async function changedSince(manager: EntityManager, kind: SubjectKind, subjectId: string, baseVersion: number, changing: string[]): Promise<string[]> {
  const { revisions, owner } = SUBJECTS[kind]
  const later = (await manager.find(revisions as EntityTarget<ObjectLiteral>, {
    where: { [owner]: subjectId, version: MoreThan(baseVersion) },
    select: { diff: true },
  })) as { diff: string }[]
  const touched = new Set(later.flatMap(({ diff }) => Object.keys(JSON.parse(diff) as Record<string, unknown>)))
  return changing.filter((field) => touched.has(field))
}
