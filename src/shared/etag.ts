import { createHash } from 'node:crypto'

/** A strong ETag for a representation: the same bytes, the same tag (RFC 9110 §8.8.3). */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/** The members of an If-Match / If-None-Match list: `*`, or entity-tags (`"x"`, `W/"x"`; a comma may be quoted). */
function listMembers(header: string): string[] {
  return [...header.matchAll(/\s*((?:W\/)?"[^"]*"|[^,]*?)\s*(?:,|$)/gy)].map((member) => member[1]).filter(Boolean)
}

/**
 * If-Match (RFC 9110 §13.1.1) uses the strong comparison: a weak tag never matches, a strong one only when
 * it is the same. `*` matches any current representation.
 */
export function matchesStrongly(header: string | undefined, etag: string): boolean {
  if (!header || etag.startsWith('W/')) return false
  return listMembers(header).some((tag) => tag === '*' || tag === etag)
}

/**
 * If-None-Match (RFC 9110 §13.1.2) uses the weak comparison: `W/"x"` and `"x"` are the same tag, so a client
 * (or a proxy that compressed the body and weakened the tag) that sends back a weakened ETag gets 304.
 */
export function matchesWeakly(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag)
  return listMembers(header).some((tag) => tag === '*' || opaque(tag) === opaque(etag))
}

/** The If-Match comparison (strong), under the name record writes use. */
export const etagMatches = matchesStrongly
