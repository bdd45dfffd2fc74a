import { CitationView, FieldView, PRISONER_FIELDS, PrisonerDocument, Withholding } from '../document/fields'
import { FieldDiff, RevisionDiff } from '../document/revision-diff'
import { Identity, hasRole } from './access'

/**
 * What everyone but editors reads of a record (DESIGN.md §2, invariant 8; §3):
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
  const words = new Set<string>()
  for (const field of PRISONER_FIELDS) {
    const view = whole[field]
    if (!view.withheld) continue
    for (const value of [view.value, ...view.alternatives.map((alternative) => alternative.value)]) {
      for (const word of stringsOf(value).flatMap((text) => text.match(/[\p{L}\p{N}]{3,}/gu) ?? [])) words.add(word)
    }
  }
  if (words.size === 0) return NO_MASK
  const escaped = [...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
  // Marks side by side read as one, which does not tell how many words the value has.
  return (text) => text.replace(pattern, WITHHELD_MARK).replace(RUN_OF_MARKS, WITHHELD_MARK)
}

const RUN_OF_MARKS = /\[withheld\](?:[\s\p{P}]*\[withheld\])+/gu

/** The mask of a stored record: from its whole document, when something of it is withheld. */
export function maskOfStored(record: { withheld: string | null; editorDocument: string | null }): Mask {
  return record.withheld === null || record.editorDocument === null ? NO_MASK : maskOf(JSON.parse(record.editorDocument) as PrisonerDocument)
}

/**
 * A citation as the public sees it: of a private source, only that one supports the value; otherwise its quote
 * with the record's withheld words masked.
 */
export function publicCitation(citation: CitationView, mask: Mask = NO_MASK): CitationView {
  if (citation.private) return { id: citation.id, sourceId: null, quote: null, start: null, end: null, private: true } as unknown as CitationView
  if (mask === NO_MASK) return citation
  const quote = mask(citation.quote)
  return quote === citation.quote ? citation : { ...citation, quote }
}

/** A withheld field as the public sees it. */
export function withheldField(withheld: Withholding): FieldView {
  return { value: null, claimId: null, citations: [], alternatives: [], withheld }
}

export function publicField(view: FieldView, mask: Mask = NO_MASK): FieldView {
  if (view.withheld) return withheldField(view.withheld)
  const hidden = (citations: CitationView[]) => citations.some((citation) => citation.private) || mask !== NO_MASK
  if (!hidden(view.citations) && !view.alternatives.some((alternative) => hidden(alternative.citations))) return view
  const shown = (citations: CitationView[]) => citations.map((citation) => publicCitation(citation, mask))
  return {
    ...view,
    citations: shown(view.citations),
    alternatives: view.alternatives.map((alternative) => ({ ...alternative, citations: shown(alternative.citations) })),
  }
}

export function publicDocument(document: PrisonerDocument): PrisonerDocument {
  const mask = maskOf(document)
  const redacted = { ...document }
  for (const field of PRISONER_FIELDS) redacted[field] = publicField(document[field], mask)
  return redacted
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
export function publicDiff(diff: RevisionDiff, withheldNow: Record<string, Withholding>, mask: Mask = NO_MASK): RevisionDiff {
  const redacted: RevisionDiff = { ...diff }
  for (const field of PRISONER_FIELDS) {
    const change = diff[field]
    if (!change) continue
    const withheld = withheldNow[field]
    const view = (side: FieldView) => (withheld ? withheldField(withheld) : publicField(side, mask))
    redacted[field] = { before: change.before && view(change.before), after: view(change.after) } satisfies FieldDiff
  }
  return redacted
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
