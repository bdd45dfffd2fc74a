import type { FastifyReply } from 'fastify'

/**
 * `Link: <…>; rel="next"` (RFC 8288) beside a page's `next`: the same request with the cursor set, as an absolute
 * URL, so that clients that follow Link headers (and sites that read only headers) page the way `next` does.
 * `param` is the query parameter the list takes its cursor in (`cursor`, or `since` for the change feeds).
 */
export function linkNext<T extends { next: string | null }>(reply: FastifyReply, page: T, param = 'cursor'): T {
  if (page.next === null) return page
  const { request } = reply
  // The query as the client wrote it (`fields=name,status` stays readable), its old cursor replaced by the next one.
  const mark = request.url.indexOf('?')
  const [path, query] = mark < 0 ? [request.url, ''] : [request.url.slice(0, mark), request.url.slice(mark + 1)]
  const kept = query.split('&').filter((pair) => pair && pair.split('=')[0] !== param)
  // What would end the <…> early, or is not a URL's own character, is percent-encoded.
  const target = `${path}?${[...kept, `${param}=${page.next}`].join('&')}`.replace(/[^\x21-\x7e]|[<>"]/g, (c) => encodeURIComponent(c))
  reply.header('link', `<${request.protocol}://${request.host}${target}>; rel="next"`)
  return page
}
