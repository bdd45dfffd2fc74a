import { ROLES, Role } from '../../db/entities/api-key.entity'
import { ReviewStatus } from '../../db/entities/prisoner.entity'
import { RevisionState } from '../../db/entities/revision.entity'

/**
 * The one rule of who may read and change what (docs/design.md §2, invariant 8). Every read path (record,
 * history, claims, citations, a source's citations, proposals, review) and every write asks here; nothing
 * else decides. Ownership is by API key id, never by the key's display name, which is not unique.
 *
 * - Anonymous callers read what is published and not deleted.
 * - A key reads that too, and what it submitted itself while that waits for review or was rejected.
 * - Editors (and admins) read everything, deleted records included.
 * - The registry as a whole (lists, search, export, coverage, the change feed) is what the public reads,
 *   whatever the key: it is what advocacy sites mirror.
 * - Withheld values and private sources are read by editors only (public-view.ts): to everyone else a withheld
 *   field is its reason and date, and a private source does not exist, beyond the fact that it supports a value.
 * - Events follow the same rule as records (a volunteer's event waits for review, read by its key and editors).
 * A record a caller cannot read does not exist for them: 404 on every method, and nothing of it in an answer.
 */

/** Who is asking: the API key they sent, or null for anonymous reads. */
export type Identity = Caller | null

/** A caller with a key: its id (what ownership is decided by), its holder's name (what history shows), its role. */
export interface Caller {
  id: string
  name: string
  role: Role
}

/** What the rule needs to know of a record. */
export interface RecordAccess {
  reviewStatus: string
  deletedAt: string | null
  submittedBy: string | null
}

const rank = (role: Role) => ROLES.indexOf(role)

/** Roles are nested: an editor may do what a volunteer may, an admin what an editor may. */
export function hasRole(identity: Identity, role: Role): boolean {
  return identity !== null && rank(identity.role) >= rank(role)
}

/** What a record's or event's state is decided by. */
export type Stateful = Pick<RecordAccess, 'reviewStatus' | 'deletedAt'>

/** A record's or event's state: deleted, or where review left it. */
export function stateOf(subject: Stateful): RevisionState {
  return isDeleted(subject) ? 'deleted' : (subject.reviewStatus as ReviewStatus)
}

export function isDeleted(subject: Stateful): boolean {
  return subject.deletedAt !== null
}

/** What the public reads: published and not deleted. */
export function isPublished(subject: Stateful): boolean {
  return stateOf(subject) === 'published'
}

/** A volunteer's record or event an editor has not decided on yet. */
export function awaitsReview(subject: Stateful): boolean {
  return stateOf(subject) === 'pending'
}

/** A volunteer's record or event an editor turned down (and not deleted since). */
export function wasRejected(subject: Stateful): boolean {
  return stateOf(subject) === 'rejected'
}

/**
 * What a new record or event starts as: published when an editor writes it (or the seed, with no key); waiting
 * for an editor's review when a volunteer does.
 */
export function startingReviewStatus(identity: Identity): ReviewStatus {
  return identity === null || hasRole(identity, 'editor') ? 'published' : 'pending'
}

/**
 * A record imported from a spreadsheet waits for review whoever imports it, an editor too: rows come in bulk, and
 * each deserves the second look a volunteer's record gets (read by its importer and editors until then).
 */
export function importedReviewStatus(): ReviewStatus {
  return 'pending'
}

/** A volunteer's proposed change an editor has not decided on yet. */
export function proposalAwaitsReview(proposal: { status: string }): boolean {
  return proposal.status === 'pending'
}

export function canRead(identity: Identity, record: RecordAccess): boolean {
  if (isPublished(record) || hasRole(identity, 'editor')) return true
  return identity !== null && record.deletedAt === null && record.submittedBy === identity.id
}

/**
 * Whether the caller may change the record, once their role allows the action: editors change any record
 * they can read; a volunteer proposes changes only to records they can read and that are not deleted.
 */
export function canChange(identity: Identity, record: RecordAccess): boolean {
  return canRead(identity, record) && (hasRole(identity, 'editor') || (hasRole(identity, 'volunteer') && record.deletedAt === null))
}

/** A proposal is read by the key that made it and by editors. */
export function canReadProposal(identity: Identity, proposal: { proposedByKey: string | null }): boolean {
  return hasRole(identity, 'editor') || (identity !== null && proposal.proposedByKey === identity.id)
}

/** An import (its progress and its rows' problems, which quote what the file said) is read by the key that sent it and by editors. */
export function canReadImport(identity: Identity, spreadsheetImport: { importedByKey: string }): boolean {
  return hasRole(identity, 'editor') || (identity !== null && spreadsheetImport.importedByKey === identity.id)
}

/** An import is continued (sent again under its id, to resume it) by the key that started it only. */
export function canContinueImport(identity: Identity, spreadsheetImport: { importedByKey: string }): boolean {
  return identity !== null && spreadsheetImport.importedByKey === identity.id
}

/** An SQL condition and its parameters, to AND into a query. */
export interface Clause {
  sql: string
  params: unknown[]
}

/** `stateOf(row) === state` over a table of records (`p`) or events (`e`): not deleted, and where review left it. */
const rowsIn = (alias: 'p' | 'e', state: 'published' | 'pending'): Clause => ({
  sql: `(${alias}.review_status = '${state}' AND ${alias}.deleted_at IS NULL)`,
  params: [],
})

/** `canRead` as SQL over a table of records (`p`, prisoners) or events (`e`): the two share the rule. */
export function readableRecords(identity: Identity, alias: 'p' | 'e' = 'p'): Clause {
  if (hasRole(identity, 'editor')) return { sql: '1 = 1', params: [] }
  if (identity === null) return rowsIn(alias, 'published')
  return {
    sql: `(${alias}.deleted_at IS NULL AND (${alias}.review_status = 'published' OR ${alias}.submitted_by = ?))`,
    params: [identity.id],
  }
}

/**
 * `canRead` for citations (aliased `c`, their claims `k`, the claims' records `p`): and, except for editors,
 * none of a withheld value or of a private source.
 */
export function readableCitations(identity: Identity): Clause {
  const records = readableRecords(identity)
  if (hasRole(identity, 'editor')) return records
  return {
    sql: `${records.sql} AND k.withheld = FALSE AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id AND s.private = TRUE)`,
    params: records.params,
  }
}

/** The sources the caller may read (the sources table, unaliased): private ones for editors only. */
export function readableSources(identity: Identity): Clause {
  return hasRole(identity, 'editor') ? { sql: '1 = 1', params: [] } : { sql: 'private = FALSE', params: [] }
}

/**
 * Who reads the WARC file of a source's captures (GET /v1/sources/{id}/capture.warc), once `readableSources` let
 * them read the source (a private source's captures are as private as it is): whoever reads the source, since the
 * file holds only what its address served to anyone who asked, and an auditor needs no key to check it. But where
 * an editor redacted spans of the source's text (a withheld value's words, docs/design.md §2, invariant 8), the
 * file still holds the page whole, those words included: then editors only.
 */
export function readsCaptureArchive(identity: Identity, redacted: boolean): boolean {
  return hasRole(identity, 'editor') || !redacted
}

/** Who may capture a source's address again: editors, and the key that added the source. */
export function canRecapture(identity: Identity, source: { addedByKey: string | null }): boolean {
  return hasRole(identity, 'editor') || (identity !== null && source.addedByKey !== null && source.addedByKey === identity.id)
}

/** What a key submitted: its records (prisoners aliased `p`), its events (aliased `e`) and its proposals (the proposals table). */
export function submittedBy(caller: Caller): { records: string; events: string; proposals: string; params: unknown[] } {
  return { records: 'p.submitted_by = ?', events: 'e.submitted_by = ?', proposals: 'proposed_by_key = ?', params: [caller.id] }
}

/** `awaitsReview` over records (`p`) or events (`e`): the review queue. */
export function awaitingReview(alias: 'p' | 'e'): Clause {
  return rowsIn(alias, 'pending')
}

/** `proposalAwaitsReview` over a table of proposals (records' or events', unaliased). */
export const PENDING_PROPOSALS: Clause = { sql: "status = 'pending'", params: [] }

/** Withheld claims (aliased `k`): where their words stand in a source's text, no one but editors reads around them. */
export const WITHHELD_CLAIMS: Clause = { sql: 'k.withheld = TRUE', params: [] }

/**
 * A record's claims (aliased `k`, their records `p`) whose quotes only editors read: a withheld one, or any of a
 * record with a withheld value, whose other quotes may hold the value's words (public-view.ts masks them).
 */
export const RESTRICTED_CLAIMS: Clause = { sql: '(k.withheld = TRUE OR p.withheld IS NOT NULL)', params: [] }

/**
 * The columns `maskOfStored` (public-view.ts) reads of a record (the prisoners table, aliased `alias` or not): its
 * withheld fields, and its whole document only when something of it is withheld, which is all the mask needs.
 */
export function maskColumns(alias?: 'p'): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name)
  return `${column('withheld')}, CASE WHEN ${column('withheld')} IS NULL THEN NULL ELSE ${column('editor_document')} END AS "editorDocument"`
}

/** Claims a search may find a record by, as a TypeORM condition on claims: a withheld name gets no name keys. */
export const SEARCHABLE_CLAIMS = { withheld: false } as const

/** `SEARCHABLE_CLAIMS` of claims in hand. */
export function isSearchable(claim: { withheld: boolean }): boolean {
  return !claim.withheld
}

/**
 * Sources only editors read, as a TypeORM condition on sources: a citation of one is marked `private`, and
 * everyone else reads only that one supports the value (public-view.ts).
 */
export const PRIVATE_SOURCES = { private: true } as const

/** The public registry: what lists, search, export and coverage show, to everyone. */
export const PUBLISHED_RECORDS: Clause = rowsIn('p', 'published')

/** The public events (aliased `e`): what event lists, the events export, the events' feed and coverage show. */
export const PUBLISHED_EVENTS: Clause = rowsIn('e', 'published')

/** The change feeds' revisions (aliased `r`, of records or events): those of what the public saw before or after them. */
export const PUBLIC_REVISIONS: Clause = { sql: 'r.public = TRUE', params: [] }

/**
 * How shared caches may keep an answer: what anyone may read is public; what was read with a key may hold
 * what the public must not see (a pending record, a proposal), so no shared cache keeps it.
 */
export function cacheControl(identity: Identity): string {
  return identity === null ? 'public, max-age=60, must-revalidate' : 'private, no-cache'
}
