import { createHash } from 'node:crypto'

/** A strong ETag for a representation: the same bytes, the same tag (RFC 9110 §8.8.3). */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/** True when an If-Match / If-None-Match header names this tag (a list, or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etag)
}
