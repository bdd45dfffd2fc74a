import { createHash, createHmac } from 'node:crypto'
import canonicalize from 'canonicalize'

/**
 * The hashes of the history chain (docs/design.md §10), each as lowercase hex. scripts/verify-history.mjs repeats
 * them without this code, so an auditor checks an export with node alone: change one only with it.
 */

/** The "previous entry hash" of position 1. */
export const EMPTY_HEAD = '0'.repeat(64)

/** RFC 8785 canonical JSON: the same bytes for the same value, whatever the order its keys were written in. */
export function canonical(value: unknown): string {
  const text = canonicalize(value)
  if (text === undefined) throw new Error('a history entry holds only JSON values')
  return text
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** The salt of one part of an entry, made from the entry's secret: disclosing it discloses no other part's. */
export const partSalt = (entrySalt: string, part: string): string => createHmac('sha256', Buffer.from(entrySalt, 'hex')).update(part, 'utf8').digest('hex')

/** A salted commitment to a value: without the salt, guessing the value (a name from a list) tells nothing. */
export const commitment = (salt: string, value: unknown): string => sha256(`${salt}:${canonical(value)}`)

/** SHA-256 of the entry's canonical content. */
export const contentHash = (content: unknown): string => sha256(canonical(content))

/** SHA-256 of (previous entry hash ‖ content hash), over the 64 bytes the two hex strings stand for. */
export const entryHash = (previous: string, content: string): string =>
  createHash('sha256').update(Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(content, 'hex')])).digest('hex')
