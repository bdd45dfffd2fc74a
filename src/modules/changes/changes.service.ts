import { PUBLIC_REVISIONS } from '../../core/access/access'
import { maskOfStored, publicDiff, publicField, withheldField, withheldFields } from '../../core/access/public-view'
import { Database } from '../../db/database'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { EventLink, FieldView } from '../../core/record/fields'
import { RevisionDiff, fieldDiffs, readDiff } from '../../core/record/revision-diff'

export interface FieldChange {
  field: string
  before: FieldView | null
  after: FieldView
  citationsAdded: string[]
  citationsRemoved: string[]
}

export interface ChangeEntry {
  seq: number
  recordId: string
  version: number
  action: string
  actor: string
  at: string
  comment: string | null
  /** The record's state after the change: a mirror shows it only while `published`. */
  state: string
  recordCreatedAt: string
  /** For reviews: what was decided about what. */
  review: { of: 'record' | 'proposal'; decision: string } | null
  changes: FieldChange[]
  /** The record's events after the change, when it changed them; null otherwise. */
  events: EventLink[] | null
}

/** A revision as read from the database: an entry before its diff is read into review and changes. */
type RevisionRow = Omit<ChangeEntry, 'review' | 'changes' | 'events'> & { diff: string; withheld: string | null; editorDocument: string | null }


function citationIds(view: FieldView | null): Set<string> {
  if (!view) return new Set()
  return new Set([...view.citations, ...view.alternatives.flatMap((alternative) => alternative.citations)].map((c) => c.id))
}

/** One field as a change left it, with the citations it gained and lost: the records' feed and the events'. */
export function fieldChange(field: string, before: FieldView | null, after: FieldView): FieldChange {
  const was = citationIds(before)
  const is = citationIds(after)
  return {
    field,
    before,
    after,
    citationsAdded: [...is].filter((id) => !was.has(id)),
    citationsRemoved: [...was].filter((id) => !is.has(id)),
  }
}

function reviewOf(action: string, diff: RevisionDiff): ChangeEntry['review'] {
  if (action !== 'review') return null
  if (diff.reviewStatus) return { of: 'record', decision: diff.reviewStatus.after === 'published' ? 'approved' : 'rejected' }
  return { of: 'proposal', decision: String(diff.proposal?.after) }
}

/**
 * The registry's changes in the order they were made, field by field: what a mirror replays to reach
 * the state the list shows. It holds only what the public may see: a record's changes while it was
 * pending stay out, and the review that publishes it carries all its fields at once.
 */
export class ChangesService {
  constructor(private readonly db: Database) {}

  async page(since: string | undefined, limit = 100): Promise<{ data: ChangeEntry[]; next: string; hasMore: boolean }> {
    const [after] = since ? (decodeCursor(since, ['count']) as number[]) : [0]
    const rows = await this.db.all<RevisionRow>(
      `SELECT r.id AS seq, r.prisoner_id AS "recordId", r.version, r.action, r.actor, r.at, r.comment, r.state, r.diff,
         p.created_at AS "recordCreatedAt", p.withheld,
         CASE WHEN p.withheld IS NULL THEN NULL ELSE p.editor_document END AS "editorDocument"
       FROM revisions r JOIN prisoners p ON p.id = r.prisoner_id
       WHERE ${PUBLIC_REVISIONS.sql} AND r.id > ? ORDER BY r.id LIMIT ?`,
      [...PUBLIC_REVISIONS.params, after, limit + 1],
    )
    const data: ChangeEntry[] = []
    for (const row of rows.slice(0, limit)) data.push(await this.entry(row))
    const last = data.length ? data[data.length - 1].seq : after
    return { data, next: encodeCursor([last]), hasMore: rows.length > limit }
  }

  /** The feed is public whatever the key: what is withheld now, or private, is left out of every entry (core/access). */
  private async entry({ diff: json, withheld: column, editorDocument, ...row }: RevisionRow): Promise<ChangeEntry> {
    const withheld = withheldFields(column)
    const mask = maskOfStored({ withheld: column, editorDocument })
    const diff = publicDiff(readDiff(json), withheld, mask)
    const review = reviewOf(row.action, diff)
    const publishes = review?.of === 'record' && review.decision === 'approved'
    if (publishes) {
      // The public sees the record for the first time: all of it at once.
      const { fields, events } = await this.recordAt(row.recordId, row.version)
      const changes = Object.entries(fields).map(([field, view]) =>
        fieldChange(field, null, withheld[field] ? withheldField(withheld[field]) : publicField(view, mask)),
      )
      return { ...row, review, changes, events: events.length ? events : null }
    }
    const changes = fieldDiffs(diff).map(([field, { before, after }]) => fieldChange(field, before, after))
    return { ...row, review, changes, events: diff.events?.after ?? null }
  }

  /** Every field of a record, and its events, as they stood at a version, folded from its revisions. */
  private async recordAt(recordId: string, version: number): Promise<{ fields: Record<string, FieldView>; events: EventLink[] }> {
    const fields: Record<string, FieldView> = {}
    let events: EventLink[] = []
    for (const { diff: json } of await this.db.all<{ diff: string }>(
      'SELECT diff FROM revisions WHERE prisoner_id = ? AND version <= ? ORDER BY version',
      [recordId, version],
    )) {
      const diff = readDiff(json)
      for (const [field, { after }] of fieldDiffs(diff)) fields[field] = after
      if (diff.events) events = diff.events.after
    }
    return { fields, events }
  }
}
