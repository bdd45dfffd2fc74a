import type { FastifyReply } from 'fastify'

/**
 * `Link: <…>; rel="next"` (RFC 8288) beside a page's `next`: the same request with the cursor set, as an absolute
 * URL, so that clients that follow Link headers (and sites that read only headers) page the way `next` does.
 * `param` is the query parameter the list takes its cursor in (`cursor`, or `since` for the change feeds).
 */
export function linkNext<T extends { next: string | null }>(reply: FastifyReply, page: T, param = 'cursor'): T {
  if (page.next === null) return page
  const { request } = reply
  const url = new URL(request.url, `${request.protocol}://${request.host}`)
  url.searchParams.set(param, page.next)
  reply.header('link', `<${url.href}>; rel="next"`)
  return page
}
