import { EventLink, FieldView, PRISONER_FIELDS, PrisonerField } from './fields'

/** A field as one revision changed it; `before` is null when the record was created. */
export interface FieldDiff {
  before: FieldView | null
  after: FieldView
}

/**
 * What one revision changed, as `revisions.diff` stores it: the record's fields, each before and after,
 * citations included, and the changes of state that are not fields. Written by the record writer only;
 * read by the history, the change feed and review.
 */
export type RevisionDiff = Partial<Record<PrisonerField, FieldDiff>> & {
  deletedAt?: { before: string | null; after: string | null }
  reviewStatus?: { before: 'pending'; after: 'published' | 'rejected' }
  /** The events the record took part in, when the revision changed them. */
  events?: { before: EventLink[]; after: EventLink[] }
  /** A proposal decided by this revision (its fields, when approved, are in the diff too). */
  proposal?: { id: string; proposedBy: string; before: 'pending'; after: 'approved' | 'rejected' }
}

const FIELDS = new Set<string>(PRISONER_FIELDS)

export function writeDiff(diff: RevisionDiff): string {
  return JSON.stringify(diff)
}

export function readDiff(json: string): RevisionDiff {
  return JSON.parse(json) as RevisionDiff
}

/** The record's fields a revision changed, with their before and after. */
export function fieldDiffs(diff: RevisionDiff): [PrisonerField, FieldDiff][] {
  return Object.entries(diff).filter(([key]) => FIELDS.has(key)) as [PrisonerField, FieldDiff][]
}
