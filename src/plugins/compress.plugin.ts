import { constants } from 'node:zlib'
import compress from '@fastify/compress'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'

/**
 * What is worth compressing: text (HTML, CSS, CSV, plain text), JSON of any kind (problem+json too), NDJSON,
 * JavaScript, XML and SVG. Not images or other binary files, which are compressed already.
 */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|\/x-ndjson(?:;|$)|\/javascript(?:;|$)|[+/]xml(?:;|$)/

/**
 * A route that sends Repr-Digest is not compressed: the digest is of the representation as sent (RFC 9530 §3),
 * and the route computes it over the identity text, which auditors compare with what they receive.
 */
function sendsReprDigest(route: RouteOptions): boolean {
  const responses = (route.schema?.response ?? {}) as Record<string, { headers?: Record<string, unknown> }>
  return Object.values(responses).some((response) => Object.keys(response?.headers ?? {}).some((name) => name.toLowerCase() === 'repr-digest'))
}

/**
 * Compressed answers (br, else gzip) when the client accepts them and the body is 1 KB or more: Swagger UI's page,
 * 2.2 MB of scripts and styles, downloads in about a quarter of that.
 *
 * - ETags stay those of the uncompressed body (the http-caching hook runs before compression: Fastify runs the
 *   instance's onSend hooks, then the route's, which is where @fastify/compress puts its own). So one tag names
 *   the representation in every coding, If-None-Match gets 304 whatever Accept-Encoding says, and the If-Match of
 *   writes keeps working with the tag a browser read from a compressed answer. What tells the codings apart, for
 *   caches, is `Vary: accept-encoding`, sent by every answer that may be compressed, 304s included (RFC 9110
 *   §15.4.5). The API serves no byte ranges of these answers, the one case where a shared strong tag would mix codings.
 * - Streams (the export) stay streams: each chunk written is flushed through the compressor at once
 *   (Z_SYNC_FLUSH, BROTLI_OPERATION_FLUSH) rather than held until the compressor's buffer fills.
 * - Request bodies are not decompressed here: request-body.plugin.ts decodes them, within the body limit.
 */
/**
 * COMPRESSIBLE's answer for each content type seen: an answer carries one of a handful of types (JSON nearly
 * always), and the test ran on every answer. Types the routes set, so a bounded set; the cap keeps it so anyway.
 */
const compressibleTypes = new Map<string, boolean>()
function compressible(type: string): boolean {
  let known = compressibleTypes.get(type)
  if (known === undefined) {
    known = COMPRESSIBLE.test(type)
    if (compressibleTypes.size < 64) compressibleTypes.set(type, known)
  }
  return known
}

/** `Vary: accept-encoding` on every answer of a type that may be compressed, whether it is this time or not. */
function varyByEncoding(_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) {
  const type = reply.getHeader('content-type')
  if (typeof type === 'string' && compressible(type)) {
    // Lower case, as @fastify/compress looks for it so (it would add a second one otherwise).
    const vary = reply.getHeader('vary')
    if (!vary) reply.header('vary', 'accept-encoding')
    else if (!/accept-encoding/i.test(String(vary))) reply.header('vary', `${String(vary)}, accept-encoding`)
  }
  done(null, payload)
}

export default fp(
  async (app) => {
    // Before @fastify/compress's own onRoute hook, which reads route.compress and adds its onSend after this one.
    app.addHook('onRoute', (route) => {
      if (route.compress !== undefined) return
      if (sendsReprDigest(route)) route.compress = false
      else route.onSend = [...(route.onSend === undefined ? [] : [route.onSend].flat()), varyByEncoding]
    })
    await app.register(compress, {
      globalCompression: true,
      globalDecompression: false,
      threshold: 1024,
      encodings: ['br', 'gzip'],
      customTypes: COMPRESSIBLE,
      zlibOptions: { flush: constants.Z_SYNC_FLUSH },
      brotliOptions: { flush: constants.BROTLI_OPERATION_FLUSH, params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    })
  },
  { name: 'compress' },
)
