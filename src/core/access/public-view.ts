import { CitationView, FieldView, PRISONER_FIELDS, PrisonerDocument, Withholding } from '../document/fields'
import { FieldDiff, RevisionDiff } from '../document/revision-diff'
import { Identity, hasRole } from './access'

/**
 * What everyone but editors reads of a record (docs/design.md §2, invariant 8; §3):
 * - a withheld field shows its public reason and date with a null value and nothing else (no claims, no
 *   citations, no alternatives);
 * - the record's other quotes do not show the withheld words either: an article that names a person names them
 *   in the quotes of the other fields too ("Belarusian opposition leader Syarhei Tsikhanouski"), so each word of
 *   a withheld value reads [withheld] there (`Mask`);
 * - a citation of a private source shows only that one supports the value.
 * The record writer stores this document beside the whole one, so lists, search, exports and the feed serve it
 * as they are; history, a field's claims and citations, which are read from their own rows, pass through here too.
 */

/** Whether the caller reads withheld values and private sources: editors (and admins) only. */
export function readsWithheld(identity: Identity): boolean {
  return hasRole(identity, 'editor')
}

export const WITHHELD_MARK = '[withheld]'

/** Hides the words of a record's withheld values in a text (a quote, its context): each reads [withheld]. */
export type Mask = (text: string) => string

const NO_MASK: Mask = (text) => text

/** The strings a value holds: itself, or the strings of an object (a sentence's text and charges, a place). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf)
  return []
}

/**
 * The mask of a record whose document is `whole`: the words (of three letters or more) of its withheld values and
 * their alternatives, matched whole, in any letter case. None when nothing is withheld.
 */
export function maskOf(whole: PrisonerDocument): Mask {
  const pattern = withheldWordsPattern(whole)
  if (pattern === null) return NO_MASK
  // Marks side by side read as one, which does not tell how many words the value has.
  return (text) => text.replace(pattern, WITHHELD_MARK).replace(RUN_OF_MARKS, WITHHELD_MARK)
}

/** The words (of three letters or more) of a record's withheld values and their alternatives. */
export function withheldWords(whole: PrisonerDocument): string[] {
  const words = new Set<string>()
  for (const field of PRISONER_FIELDS) {
    const view = whole[field]
    if (!view.withheld) continue
    for (const value of [view.value, ...view.alternatives.map((alternative) => alternative.value)]) {
      for (const word of stringsOf(value).flatMap((text) => text.match(/[\p{L}\p{N}]{3,}/gu) ?? [])) words.add(word)
    }
  }
  return [...words]
}

/**
 * The withheld words of a record as one pattern that matches each whole, in any letter case; `runs`: a run of them
 * separated by white space as one match. Null when nothing is withheld.
 */
export function withheldWordsPattern(whole: PrisonerDocument, { runs = false } = {}): RegExp | null {
  const words = withheldWords(whole)
  if (words.length === 0) return null
  const escaped = words.sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const word = `(?:${escaped.join('|')})`
  return new RegExp(`(?<![\\p{L}\\p{N}])${runs ? `${word}(?:\\s+${word})*` : word}(?![\\p{L}\\p{N}])`, 'giu')
}

const RUN_OF_MARKS = /\[withheld\](?:[\s\p{P}]*\[withheld\])+/gu

/** The mask of a stored record: from its whole document, when something of it is withheld. */
export function maskOfStored(record: { withheld: string | null; editorDocument: string | null }): Mask {
  return record.withheld === null || record.editorDocument === null ? NO_MASK : maskOf(JSON.parse(record.editorDocument) as PrisonerDocument)
}

/** A span of code points of a source's text: [start, end). */
export interface Span {
  start: number
  end: number
}

/** Whether two spans share a code point. */
export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end

/** What a redacted code point of a source's text reads as, in its public rendition and in quotes (redactions.ts). */
export const REDACTION_MARK = '█'

/** The redacted spans of sources' texts, by source id (redactions.ts). */
export type Redacted = ReadonlyMap<string, readonly Span[]>

const NOTHING_REDACTED: Redacted = new Map()

/**
 * A quote with the code points that fall in redacted spans marked, as the public rendition of its source shows them;
 * a quote that is not the text's very characters (matching forgives typography and white space) reads [withheld] whole.
 */
function redactedQuote(quote: string, at: Span, spans: readonly Span[]): string {
  const points = [...quote]
  if (points.length !== at.end - at.start) return WITHHELD_MARK
  for (const span of spans) {
    for (let i = Math.max(span.start, at.start); i < Math.min(span.end, at.end); i++) points[i - at.start] = REDACTION_MARK
  }
  return points.join('')
}

/**
 * A citation as the public sees it: of a private source, only that one supports the value; otherwise its quote
 * with the record's withheld words masked, and the words of redacted spans of its source marked. A masked citation loses its offsets (and its note, which may name the
 * words too): the source's archived text is public, and slicing it at those offsets would give the words back
 * (docs/design.md §2, invariant 8).
 */
export function publicCitation(citation: CitationView, mask: Mask = NO_MASK, redacted: Redacted = NOTHING_REDACTED): CitationView {
  if (citation.private) return { id: citation.id, sourceId: null, quote: null, start: null, end: null, private: true } as unknown as CitationView
  const at = citation.start === null || citation.end === null ? null : { start: citation.start, end: citation.end }
  const spans = at ? (redacted.get(citation.sourceId) ?? []).filter((span) => overlaps(span, at)) : []
  if (mask === NO_MASK && spans.length === 0) return citation
  const quote = mask(at && spans.length > 0 ? redactedQuote(citation.quote, at, spans) : citation.quote)
  if (quote === citation.quote) return citation
  const { note, ...rest } = citation
  return { ...rest, quote, start: null, end: null, ...(note === undefined ? {} : { note: mask(note) }) }
}

/** A withheld field as the public sees it. */
export function withheldField(withheld: Withholding): FieldView {
  return { value: null, claimId: null, citations: [], alternatives: [], withheld }
}

export function publicField(view: FieldView, mask: Mask = NO_MASK, redacted: Redacted = NOTHING_REDACTED): FieldView {
  if (view.withheld) return withheldField(view.withheld)
  const hidden = (citations: CitationView[]) => citations.some((citation) => citation.private || redacted.has(citation.sourceId)) || mask !== NO_MASK
  if (!hidden(view.citations) && !view.alternatives.some((alternative) => hidden(alternative.citations))) return view
  const shown = (citations: CitationView[]) => citations.map((citation) => publicCitation(citation, mask, redacted))
  return {
    ...view,
    citations: shown(view.citations),
    alternatives: view.alternatives.map((alternative) => ({ ...alternative, citations: shown(alternative.citations) })),
  }
}

/** The record as the public reads it; `redacted`: the redacted spans of the sources it cites. */
export function publicDocument(document: PrisonerDocument, redacted: Redacted = NOTHING_REDACTED): PrisonerDocument {
  const mask = maskOf(document)
  const shown = { ...document }
  for (const field of PRISONER_FIELDS) shown[field] = publicField(document[field], mask, redacted)
  return shown
}

/** The sources a record cites, whose redactions its public document needs. */
export function citedSources(document: PrisonerDocument): string[] {
  const ids = new Set<string>()
  for (const field of PRISONER_FIELDS) {
    const view = document[field]
    for (const citation of [...view.citations, ...view.alternatives.flatMap((alternative) => alternative.citations)]) ids.add(citation.sourceId)
  }
  return [...ids]
}

/** The withheld fields of a record, from its `withheld` column. */
export function withheldFields(column: string | null): Record<string, Withholding> {
  return column === null ? {} : (JSON.parse(column) as Record<string, Withholding>)
}

/**
 * A revision's diff as the public sees it: a field withheld now shows only its withholding, in every revision,
 * even those from before it was withheld; the other fields' quotes with the withheld words masked; citations of
 * private sources show only that they exist.
 */
export function publicDiff(diff: RevisionDiff, withheldNow: Record<string, Withholding>, mask: Mask = NO_MASK, redacted: Redacted = NOTHING_REDACTED): RevisionDiff {
  const shown: RevisionDiff = { ...diff }
  for (const field of PRISONER_FIELDS) {
    const change = diff[field]
    if (!change) continue
    const withheld = withheldNow[field]
    const view = (side: FieldView) => (withheld ? withheldField(withheld) : publicField(side, mask, redacted))
    shown[field] = { before: change.before && view(change.before), after: view(change.after) } satisfies FieldDiff
  }
  return shown
}

/** The stored record as the caller reads it: editors the whole one, everyone else the public one. */
export function recordAs<T extends { document: string; etag: string; editorDocument: string | null; editorEtag: string | null }>(
  identity: Identity,
  record: T,
): { document: string; etag: string } {
  return readsWithheld(identity) && record.editorDocument !== null
    ? { document: record.editorDocument, etag: record.editorEtag! }
    : { document: record.document, etag: record.etag }
}
