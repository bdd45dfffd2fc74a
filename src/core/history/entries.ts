import { commitment, contentHash, partSalt } from './hashing'

/**
 * What the chain holds of each kind of subject's history (docs/design.md §10). A kind names the table of its rows;
 * a subject id and the row's own id are what the chain keeps beside the hashes. Another kind (a capture) is one
 * more entry here and one call of appendToHistory where its rows are inserted.
 */
export const HISTORY_KINDS = {
  'record-revision': { table: 'revisions', subject: 'prisoner_id', state: 'state' },
  'event-revision': { table: 'event_revisions', subject: 'event_id', state: 'NULL' },
} as const
export type HistoryKind = keyof typeof HISTORY_KINDS

export const isHistoryKind = (kind: string): kind is HistoryKind => Object.hasOwn(HISTORY_KINDS, kind)

/** A revision's row, of a record or an event, as the chain reads it. */
export interface RevisionRow {
  id: number
  subject: string
  version: number
  action: string
  actor: string
  actorKey: string | null
  actorRole: string | null
  at: string
  comment: string | null
  /** A record's state after it; null for an event's revision. */
  state: string | null
  public: boolean | number
  diff: string
}

/** The SELECT of a kind's rows (`WHERE` and the rest added by the caller). */
export function revisionsSelect(kind: HistoryKind): string {
  const { table, subject, state } = HISTORY_KINDS[kind]
  return `SELECT id, ${subject} AS subject, version, action, actor, actor_key AS "actorKey", actor_role AS "actorRole", at, comment,
    ${state} AS state, public, diff FROM ${table}`
}

/**
 * The parts of a revision, each committed to separately so that the public opens those it may read and no others:
 * who made it (never opened to the public, who sees a pseudonym), the subject (a pending record's id is not public),
 * and each key of its diff (a field withheld now, or quoting withheld words, stays a commitment).
 */
export function revisionParts(row: RevisionRow): Record<string, unknown> {
  const parts: Record<string, unknown> = {
    subject: row.subject,
    version: row.version,
    action: row.action,
    actor: { name: row.actor, key: row.actorKey },
    actorRole: row.actorRole,
    comment: row.comment,
    public: Boolean(row.public),
  }
  // A record's revision has one; an event's none.
  if (typeof row.state === 'string') parts.state = row.state
  for (const [key, value] of Object.entries(JSON.parse(row.diff) as Record<string, unknown>)) parts[`diff.${key}`] = value
  return parts
}

/** An entry's canonical content: its kind and time in the clear, every part as a salted commitment. */
export interface EntryContent {
  v: 1
  kind: HistoryKind
  at: string
  parts: Record<string, string>
}

export function entryContent(kind: HistoryKind, at: string, parts: Record<string, unknown>, salt: string): EntryContent {
  const committed: Record<string, string> = {}
  for (const [name, value] of Object.entries(parts)) committed[name] = commitment(partSalt(salt, name), value)
  return { v: 1, kind, at, parts: committed }
}

/** A part disclosed: its value and its salt, which the verifier hashes to the content's commitment. */
export interface Opening {
  salt: string
  value: unknown
}

/** The openings of the named parts. */
export function openingsOf(parts: Record<string, unknown>, names: Iterable<string>, salt: string): Record<string, Opening> {
  const openings: Record<string, Opening> = {}
  for (const name of names) if (Object.hasOwn(parts, name)) openings[name] = { salt: partSalt(salt, name), value: parts[name] }
  return openings
}

export { contentHash }
