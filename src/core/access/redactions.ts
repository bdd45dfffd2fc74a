import { Database } from '../../db/database'
import type { Reads } from '../../db/read-store'
import { Identity } from './access'
import { PrisonerDocument } from '../document/fields'
import { REDACTION_MARK, Redacted, Span, readsWithheld, withheldWords, withheldWordsPattern } from './public-view'

/**
 * Redacted spans of sources' archived texts (docs/design.md §2, invariant 8): when a withheld value's words stay in
 * a public source, editors may leave that span out of the text's public rendition. Each code point of a span reads
 * as REDACTION_MARK, so the rendition keeps the text's length and every other citation's offsets still point at
 * its own words. Editors and the audit read the archived text whole, and its SHA-256 is that of the whole text.
 */

/** The redactions the caller reads around: none for editors, who read the text whole. */
export async function redactionsFor(db: Reads, sourceId: string, identity: Identity): Promise<Span[]> {
  return readsWithheld(identity) ? [] : redactionsOf(db, [sourceId]).then((spans) => spans.get(sourceId) ?? [])
}

/** The redacted spans of each source, in the order of their texts. */
export async function redactionsOf(db: Reads, sourceIds: readonly string[]): Promise<Map<string, Span[]>> {
  const spans = new Map<string, Span[]>()
  if (sourceIds.length === 0) return spans
  const rows = await db.all<{ sourceId: string; start: number; end: number }>(
    `SELECT source_id AS "sourceId", span_start AS start, span_end AS "end" FROM source_redactions
     WHERE source_id IN (${sourceIds.map(() => '?').join(',')}) ORDER BY source_id, span_start`,
    [...sourceIds],
  )
  for (const { sourceId, start, end } of rows) spans.set(sourceId, [...(spans.get(sourceId) ?? []), { start: Number(start), end: Number(end) }])
  return spans
}

/** A text's public rendition: each code point of a redacted span reads as the mark; everything else, offsets included, as it is. */
export function redactText(content: string, spans: readonly Span[]): string {
  if (spans.length === 0) return content
  const points = [...content]
  for (const { start, end } of spans) {
    for (let at = Math.max(0, start); at < Math.min(end, points.length); at++) points[at] = REDACTION_MARK
  }
  return points.join('')
}

/** Where a withheld value's words stand in a public source's archived text: what an editor may redact. */
export interface Occurrence {
  sourceId: string
  start: number
  end: number
  text: string
  /** Whether a redaction already covers it. */
  redacted: boolean
}

/** Enough for an editor to act on; a value that common is better found with the passage finder, source by source. */
const MAX_OCCURRENCES = 200

/**
 * Where the words of a record's withheld values occur in the archived texts of public sources (docs/design.md §2,
 * invariant 8): runs of them, in code points, so that each can be redacted as it is. Sources whose text holds
 * none of the words are left out by the database; each text left is searched once, linearly.
 */
export async function withheldOccurrences(db: Database, whole: PrisonerDocument): Promise<Occurrence[]> {
  const pattern = withheldWordsPattern(whole, { runs: true })
  if (pattern === null) return []
  const words = withheldWords(whole)
  // LOWER on both sides, so that each engine folds the two alike (SQLite folds ASCII letters only).
  const like = words.map(() => 'LOWER(content) LIKE LOWER(?)').join(' OR ')
  const sources = await db.all<{ id: string; content: string }>(
    `SELECT id, content FROM sources WHERE private = FALSE AND content IS NOT NULL AND (${like}) ORDER BY id`,
    words.map((word) => `%${word}%`),
  )
  const redacted = await redactionsOf(db, sources.map((source) => source.id))
  const found: Occurrence[] = []
  for (const { id, content } of sources) {
    for (const match of content.matchAll(pattern)) {
      const start = /[\uD800-\uDFFF]/.test(content) ? [...content.slice(0, match.index)].length : match.index
      const end = start + [...match[0]].length
      const covered = (redacted.get(id) ?? []).some((span) => span.start <= start && span.end >= end)
      found.push({ sourceId: id, start, end, text: match[0], redacted: covered })
      if (found.length === MAX_OCCURRENCES) return found
    }
  }
  return found
}

/**
 * Every redaction, for the read paths that build what they show from rows rather than from a stored document
 * (history, claims, the change feed, a source's citations); none for editors. Redactions are an editor's few
 * deliberate acts, not data that grows with the registry.
 */
export async function redactedFor(db: Reads, identity: Identity): Promise<Redacted> {
  if (readsWithheld(identity)) return new Map()
  // One query: every event read (and the feeds) asks, so not the source ids first and their spans second.
  const spans = new Map<string, Span[]>()
  const rows = await db.all<{ sourceId: string; start: number; end: number }>(
    'SELECT source_id AS "sourceId", span_start AS start, span_end AS "end" FROM source_redactions ORDER BY source_id, span_start',
  )
  for (const { sourceId, start, end } of rows) spans.set(sourceId, [...(spans.get(sourceId) ?? []), { start: Number(start), end: Number(end) }])
  return spans
}
