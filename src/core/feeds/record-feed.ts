import { PUBLIC_REVISIONS, maskColumns, readableSources } from '../access/access'
import { publicActors, ShowActor } from '../access/actors'
import { Mask, maskOfStored, publicDiff, publicField, withheldField, withheldFields } from '../access/public-view'
import { redactedFor } from '../access/redactions'
import { Database } from '../../db/database'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { EventLink, FieldView } from '../document/fields'
import { RevisionDiff, fieldDiffs, readDiff } from '../document/revision-diff'

/** What a feed's summaries name that the entries do not hold: sources by title, records by their public name. */
export interface FeedWords {
  sourceTitles: Map<string, string>
  recordNames: Map<string, string | null>
  /** Each record's mask of its withheld words (core/access/public-view). */
  masks: Map<string, Mask>
}

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
type RevisionRow = Omit<ChangeEntry, 'review' | 'changes' | 'events'> & {
  actorKey: string | null
  actorRole: string | null
  diff: string
  withheld: string | null
  editorDocument: string | null
}


function citationIds(view: FieldView | null): Set<string> {
  if (!view) return new Set()
  return new Set([...view.citations, ...view.alternatives.flatMap((alternative) => alternative.citations)].map((c) => c.id))
}

/**
 * The largest change number the revisions' integer key holds on PostgreSQL: a cursor made by hand may name a larger
 * one, which must read as "after every change", not reach the database as a value out of its column's range.
 */
const MAX_SEQ = 2_147_483_647

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
    const rows = await this.rows('r.id > ?', [Math.min(after, MAX_SEQ)], 'ASC', limit + 1)
    const show = await publicActors(this.db)
    const data: ChangeEntry[] = []
    for (const row of rows.slice(0, limit)) data.push(await this.entry(row, show))
    const last = data.length ? data[data.length - 1].seq : after
    return { data, next: encodeCursor([last]), hasMore: rows.length > limit }
  }

  /**
   * The same entries newest first, as a feed reader shows them: those before the change `before` (all when
   * undefined), of one record when `recordId` is given. `older` is the seq to continue from, null at the first change.
   */
  async newestFirst(options: { before?: number; recordId?: string; limit: number }): Promise<{ data: ChangeEntry[]; older: number | null }> {
    // No bound at all for the newest page: a sentinel number would overflow PostgreSQL's integer column.
    const unbounded = options.before === undefined || options.before > MAX_SEQ
    const clauses = unbounded ? ['1 = 1'] : ['r.id < ?']
    const params: unknown[] = unbounded ? [] : [options.before]
    if (options.recordId !== undefined) {
      clauses.push('r.prisoner_id = ?')
      params.push(options.recordId)
    }
    const rows = await this.rows(clauses.join(' AND '), params, 'DESC', options.limit + 1)
    const show = await publicActors(this.db)
    const data: ChangeEntry[] = []
    for (const row of rows.slice(0, options.limit)) data.push(await this.entry(row, show))
    return { data, older: rows.length > options.limit ? data[data.length - 1].seq : null }
  }

  /**
   * What a feed's summaries name: the titles of the public sources its entries cite, and each record's name as the
   * public reads it now (null when withheld).
   */
  async feedWords(entries: ChangeEntry[]): Promise<FeedWords> {
    const sourceIds = [...new Set(entries.flatMap((entry) => entry.changes.flatMap((change) => change.after.citations.map((c) => c.sourceId))).filter(Boolean))]
    const recordIds = [...new Set(entries.map((entry) => entry.recordId))]
    const marks = (ids: unknown[]) => ids.map(() => '?').join(',')
    const publicSources = readableSources(null)
    const sources = sourceIds.length
      ? await this.db.all<{ id: string; title: string }>(`SELECT id, title FROM sources WHERE id IN (${marks(sourceIds)}) AND ${publicSources.sql}`, [
          ...sourceIds,
          ...publicSources.params,
        ])
      : []
    const records = recordIds.length
      ? await this.db.all<{ id: string; document: string; withheld: string | null; editorDocument: string | null }>(
          `SELECT id, document, ${maskColumns()} FROM prisoners WHERE id IN (${marks(recordIds)})`,
          recordIds,
        )
      : []
    return {
      sourceTitles: new Map(sources.map((source) => [source.id, source.title])),
      // The public document: a withheld name is null there.
      recordNames: new Map(records.map((record) => [record.id, (JSON.parse(record.document) as { name: FieldView }).name.value as string | null])),
      // A source's title may name the person as the quotes do: it is masked the same way (core/access).
      masks: new Map(records.map((record) => [record.id, maskOfStored(record)])),
    }
  }

  private rows(where: string, params: unknown[], order: 'ASC' | 'DESC', limit: number): Promise<RevisionRow[]> {
    return this.db.all<RevisionRow>(
      `SELECT r.id AS seq, r.prisoner_id AS "recordId", r.version, r.action, r.actor, r.actor_key AS "actorKey", r.actor_role AS "actorRole",
         r.at, r.comment, r.state, r.diff,
         p.created_at AS "recordCreatedAt", ${maskColumns('p')}
       FROM revisions r JOIN prisoners p ON p.id = r.prisoner_id
       WHERE ${PUBLIC_REVISIONS.sql} AND ${where} ORDER BY r.id ${order} LIMIT ?`,
      [...PUBLIC_REVISIONS.params, ...params, limit],
    )
  }

  /** The feed is public whatever the key: what is withheld now, or private, is left out of every entry (core/access). */
  private async entry({ diff: json, withheld: column, editorDocument, actor, actorKey, actorRole, ...rest }: RevisionRow, show: ShowActor): Promise<ChangeEntry> {
    const row = { ...rest, actor: show({ name: actor, key: actorKey, role: actorRole }) }
    const withheld = withheldFields(column)
    const mask = maskOfStored({ withheld: column, editorDocument })
    const redacted = await redactedFor(this.db, null)
    const diff = publicDiff(readDiff(json), withheld, mask, redacted)
    const review = reviewOf(row.action, diff)
    const publishes = review?.of === 'record' && review.decision === 'approved'
    if (publishes) {
      // The public sees the record for the first time: all of it at once.
      const { fields, events } = await this.recordAt(row.recordId, row.version)
      const changes = Object.entries(fields).map(([field, view]) =>
        fieldChange(field, null, withheld[field] ? withheldField(withheld[field]) : publicField(view, mask, redacted)),
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
