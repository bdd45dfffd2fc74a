import { createHash } from 'node:crypto'

/** A text's SHA-256 in hex, as sources store and the audit checks their archived text. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}
