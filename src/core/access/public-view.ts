import { CitationView, FieldView, PRISONER_FIELDS, PrisonerDocument, Withholding } from '../record/fields'
import { FieldDiff, RevisionDiff } from '../record/revision-diff'
import { Identity, hasRole } from './access'

/**
 * What everyone but editors reads of a record (DESIGN.md §2, invariant 8; §3): a withheld field shows its
 * public reason and date with a null value and nothing else (no claims, no citations, no alternatives); a citation
 * of a private source shows only that one supports the value. The record writer stores this document beside the
 * whole one, so lists, search, exports and the feed serve it as they are; history and a field's claims, which are
 * read from their own rows, pass through here too.
 */

/** Whether the caller reads withheld values and private sources: editors (and admins) only. */
export function readsWithheld(identity: Identity): boolean {
  return hasRole(identity, 'editor')
}

/** A citation of a private source as the public sees it: that a private source supports the value, no more. */
export function publicCitation(citation: CitationView): CitationView {
  if (!citation.private) return citation
  return { id: citation.id, sourceId: null, quote: null, start: null, end: null, private: true } as unknown as CitationView
}

/** A withheld field as the public sees it. */
export function withheldField(withheld: Withholding): FieldView {
  return { value: null, claimId: null, citations: [], alternatives: [], withheld }
}

export function publicField(view: FieldView): FieldView {
  if (view.withheld) return withheldField(view.withheld)
  const hasPrivate = (citations: CitationView[]) => citations.some((citation) => citation.private)
  if (!hasPrivate(view.citations) && !view.alternatives.some((alternative) => hasPrivate(alternative.citations))) return view
  return {
    ...view,
    citations: view.citations.map(publicCitation),
    alternatives: view.alternatives.map((alternative) => ({ ...alternative, citations: alternative.citations.map(publicCitation) })),
  }
}

export function publicDocument(document: PrisonerDocument): PrisonerDocument {
  const redacted = { ...document }
  for (const field of PRISONER_FIELDS) redacted[field] = publicField(document[field])
  return redacted
}

/** The withheld fields of a record, from its `withheld` column. */
export function withheldFields(column: string | null): Record<string, Withholding> {
  return column === null ? {} : (JSON.parse(column) as Record<string, Withholding>)
}

/**
 * A revision's diff as the public sees it: a field withheld now shows only its withholding, in every revision,
 * even those from before it was withheld; citations of private sources show only that they exist.
 */
export function publicDiff(diff: RevisionDiff, withheldNow: Record<string, Withholding>): RevisionDiff {
  const redacted: RevisionDiff = { ...diff }
  for (const field of PRISONER_FIELDS) {
    const change = diff[field]
    if (!change) continue
    const withheld = withheldNow[field]
    const view = (side: FieldView) => (withheld ? withheldField(withheld) : publicField(side))
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
