import { Database } from '../../db/database'
import { Identity } from './access'
import { REDACTION_MARK, Span, readsWithheld } from './public-view'

/**
 * Redacted spans of sources' archived texts (docs/design.md §2, invariant 8): when a withheld value's words stay in
 * a public source, editors may leave that span out of the text's public rendition. Each code point of a span reads
 * as REDACTION_MARK, so the rendition keeps the text's length and every other citation's offsets still point at
 * its own words. Editors and the audit read the archived text whole, and its SHA-256 is that of the whole text.
 */

/** The redactions the caller reads around: none for editors, who read the text whole. */
export async function redactionsFor(db: Database, sourceId: string, identity: Identity): Promise<Span[]> {
  return readsWithheld(identity) ? [] : redactionsOf(db, [sourceId]).then((spans) => spans.get(sourceId) ?? [])
}

/** The redacted spans of each source, in the order of their texts. */
export async function redactionsOf(db: Database, sourceIds: readonly string[]): Promise<Map<string, Span[]>> {
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
