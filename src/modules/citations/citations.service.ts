import { Identity, WITHHELD_CLAIMS, maskColumns, readableCitations, readableSources } from '../../core/access/access'
import { actorOfRow, actorsShownTo } from '../../core/access/actors'
import { Database } from '../../db/database'
import { ProblemError } from '../../errors'
import { decodeCursor, encodeCursor, invalidCursor } from '../../shared/cursor'
import { Range, SourceText } from '../../core/evidence/source-text'
import { Redacted, maskOfStored, publicCitation, readsWithheld } from '../../core/access/public-view'
import { redactedFor } from '../../core/access/redactions'

export interface CitationContext {
  before: string
  quote: string
  after: string
}

/** A citation with everything an auditor follows it to. */
export interface CitationTrace {
  id: string
  quote: string
  start: number | null
  end: number | null
  note: string | null
  context: CitationContext | null
  source: { id: string; title: string; publisher: string | null; url: string | null; hasContent: boolean }
  claim: { id: string; recordId: string; field: string; value: unknown; rank: string; reason: string | null }
  /** The revision that introduced the claim this citation supports. */
  introducedBy: { version: number; action: string; actor: string; at: string; comment: string | null } | null
}

interface CitationRow {
  id: string
  quote: string
  start: number | null
  end: number | null
  note: string | null
  sourceId: string
  claimId: string
  recordId: string
  field: string
  value: string
  rank: string
  reason: string | null
  claimVersion: number | null
  /** The record's withheld fields and, when there are some, its whole document: to mask their words (public-view.ts). */
  withheld: string | null
  editorDocument: string | null
}

const CITATION_COLUMNS = `c.id, c.quote, c.quote_start AS start, c.quote_end AS "end", c.note, c.source_id AS "sourceId",
  k.id AS "claimId", k.prisoner_id AS "recordId", k.field, k.value, k.rank, k.reason, k.version AS "claimVersion",
  ${maskColumns('p')}`

/**
 * A citation's quote, offsets and the words around it, as the caller may read them: the record's withheld words
 * masked; a masked quote keeps neither offsets nor context, which would lead back to the words in the public text
 * (public-view.ts).
 */
function shown(row: CitationRow, text: SourceText | null, identity: Identity, around: number | undefined, hidden: Range[], redacted: Redacted) {
  const mask = readsWithheld(identity) ? (words: string) => words : maskOfStored(row)
  const { quote } = publicCitation({ id: row.id, sourceId: row.sourceId, quote: row.quote, start: row.start, end: row.end }, mask, redacted)
  if (quote !== row.quote) return { quote, start: null, end: null, note: row.note && mask(row.note), context: null }
  const left = [...hidden, ...(redacted.get(row.sourceId) ?? []).map(({ start, end }): Range => [start, end])]
  const context = text && row.start !== null && row.end !== null ? text.context(row.start, row.end, around, left) : null
  return {
    quote,
    start: row.start,
    end: row.end,
    note: row.note,
    context: context && { before: mask(context.before), quote: context.quote, after: mask(context.after) },
  }
}

/** Citations seen from the auditor's side: from a value to its words in place, and from a source to all it supports. */
export class CitationsService {
  constructor(private readonly db: Database) {}

  /** A citation of a record the caller may read (core/access); 404 otherwise, and for a withheld value or a private source. */
  async trace(id: string, identity: Identity): Promise<CitationTrace> {
    const readable = readableCitations(identity)
    const row = await this.db.get<CitationRow>(
      `SELECT ${CITATION_COLUMNS} FROM citations c JOIN claims k ON k.id = c.claim_id JOIN prisoners p ON p.id = k.prisoner_id
       WHERE c.id = ? AND ${readable.sql}`,
      [id, ...readable.params],
    )
    if (!row) throw new ProblemError('not-found', `No citation with id ${id}.`)
    const source = (await this.db.get<{ id: string; title: string; publisher: string | null; url: string | null; content: string | null }>(
      'SELECT id, title, publisher, url, content FROM sources WHERE id = ?',
      [row.sourceId],
    ))!
    const text = source.content === null ? null : new SourceText(source.content)
    const hidden = await this.withheldRanges(row.sourceId, identity)
    const revision =
      row.claimVersion === null
        ? undefined
        : await this.db.get<NonNullable<CitationTrace['introducedBy']> & { actorKey: string | null; actorRole: string | null }>(
            'SELECT version, action, actor, actor_key AS "actorKey", actor_role AS "actorRole", at, comment FROM revisions WHERE prisoner_id = ? AND version = ?',
            [row.recordId, row.claimVersion],
          )
    const show = await actorsShownTo(this.db, identity)
    const introducedBy = revision
      ? { version: revision.version, action: revision.action, actor: show(actorOfRow(revision)), at: revision.at, comment: revision.comment }
      : null
    const { content: _content, ...sourceSummary } = source
    return {
      id: row.id,
      ...shown(row, text, identity, undefined, hidden, await redactedFor(this.db, identity)),
      source: { ...sourceSummary, hasContent: text !== null },
      claim: { id: row.claimId, recordId: row.recordId, field: row.field, value: JSON.parse(row.value), rank: row.rank, reason: row.reason },
      introducedBy,
    }
  }

  /**
   * Where a source's text holds the words of withheld values (for everyone but editors): the context shown around
   * other citations leaves them out, or a citation next to a withheld name would show the name.
   */
  private async withheldRanges(sourceId: string, identity: Identity): Promise<Range[]> {
    if (readsWithheld(identity)) return []
    const rows = await this.db.all<{ start: number; end: number }>(
      `SELECT c.quote_start AS start, c.quote_end AS "end" FROM citations c JOIN claims k ON k.id = c.claim_id
       WHERE c.source_id = ? AND ${WITHHELD_CLAIMS.sql} AND c.quote_start IS NOT NULL`,
      [sourceId, ...WITHHELD_CLAIMS.params],
    )
    return rows.map(({ start, end }) => [start, end])
  }

  /** Every citation that points into a source from records the caller may read, in the order of the text, each with its context. */
  async bySource(sourceId: string, identity: Identity, limit = 100, cursor?: string) {
    const readable = readableCitations(identity)
    const sources = readableSources(identity)
    const source = await this.db.get<{ content: string | null }>(`SELECT content FROM sources WHERE id = ? AND ${sources.sql}`, [sourceId, ...sources.params])
    if (!source) throw new ProblemError('not-found', `No source with id ${sourceId}.`)
    const text = source.content === null ? null : new SourceText(source.content)
    const [afterStart, afterId] = cursor ? await this.positionAfter(sourceId, decodeCursor(cursor, ['string'])[0] as string) : [-1, '']
    const rows = await this.db.all<CitationRow>(
      `SELECT ${CITATION_COLUMNS} FROM citations c JOIN claims k ON k.id = c.claim_id JOIN prisoners p ON p.id = k.prisoner_id
       WHERE c.source_id = ? AND (COALESCE(c.quote_start, -1) > ? OR (COALESCE(c.quote_start, -1) = ? AND c.id > ?))
         AND ${readable.sql}
       ORDER BY COALESCE(c.quote_start, -1), c.id LIMIT ?`,
      [sourceId, afterStart, afterStart, afterId, ...readable.params, limit + 1],
    )
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    const hidden = text && page.length ? await this.withheldRanges(sourceId, identity) : []
    const redacted = await redactedFor(this.db, identity)
    return {
      data: page.map((row) => {
        const { quote, start, end, context } = shown(row, text, identity, 80, hidden, redacted)
        return {
          id: row.id,
          recordId: row.recordId,
          claimId: row.claimId,
          field: row.field,
          value: JSON.parse(row.value),
          rank: row.rank,
          quote,
          start,
          end,
          context,
        }
      }),
      // Only the last citation's id, which the page shows anyway: its offsets may be masked (withheld or redacted words).
      next: rows.length > limit ? encodeCursor([last.id]) : null,
    }
  }

  /** Where a page of a source's citations resumes: after the citation a cursor names, in the order of the text. */
  private async positionAfter(sourceId: string, citationId: string): Promise<[number, string]> {
    const row = await this.db.get<{ start: number | null }>('SELECT quote_start AS start FROM citations WHERE id = ? AND source_id = ?', [citationId, sourceId])
    if (!row) throw invalidCursor()
    return [row.start ?? -1, citationId]
  }
}
