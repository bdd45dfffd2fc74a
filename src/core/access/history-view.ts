import { EVENT_FIELDS, FieldView } from '../document/fields'
import { RevisionDiff } from '../document/revision-diff'
import { Redacted, maskOfStored, publicDiff, publicField, withheldFields } from './public-view'

/** A record's columns that say what of it is withheld now (maskColumns). */
export interface WithheldNow {
  withheld: string | null
  editorDocument: string | null
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The parts of a revision that are not the diff's, and which the public reads in the change feed. */
const HEADER_PARTS = ['subject', 'version', 'action', 'public', 'actorRole', 'state']

/**
 * Which parts of a revision's history entry the public may read opened (docs/design.md §10): none of a revision the
 * public never saw (a pending record's, whose very id is not public); of the others, what the change feed shows —
 * never who made it (the feed shows a pseudonym), a comment or a diff key only when its public rendition is the
 * whole of it (nothing withheld now, masked, private or redacted), never a decided proposal's proposer. Every other
 * part stays a salted commitment, which the public verifier checks the chain with all the same.
 * `record`: the record's withholdings now; null for an event's revision.
 */
export function publicParts(parts: Record<string, unknown>, record: WithheldNow | null, redacted: Redacted): string[] {
  if (parts.public !== true) return []
  const opened = HEADER_PARTS.filter((name) => Object.hasOwn(parts, name))
  const mask = record ? maskOfStored(record) : (text: string) => text
  if (typeof parts.comment !== 'string' || mask(parts.comment) === parts.comment) opened.push('comment')
  const diff: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(parts)) if (name.startsWith('diff.')) diff[name.slice(5)] = value
  const shown: Record<string, unknown> = record ? publicDiff(diff as RevisionDiff, withheldFields(record.withheld), mask, redacted) : publicEventDiff(diff, redacted)
  for (const key of Object.keys(diff)) if (key !== 'proposal' && same(shown[key], diff[key])) opened.push(`diff.${key}`)
  return opened
}

/** An event's diff as its change feed shows it: citations of private sources only as existing. */
function publicEventDiff(diff: Record<string, unknown>, redacted: Redacted): Record<string, unknown> {
  const shown = { ...diff }
  for (const field of EVENT_FIELDS) {
    const change = diff[field] as { before: FieldView | null; after: FieldView } | undefined
    if (change) shown[field] = { before: change.before && publicField(change.before, undefined, redacted), after: publicField(change.after, undefined, redacted) }
  }
  return shown
}
