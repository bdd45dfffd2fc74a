import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { HelmetOptions } from 'helmet'

/**
 * Security headers on every answer (helmet). The API answers JSON, never a page, so its policy forbids
 * everything a page could load or do; Swagger UI at /docs replaces it with its own (swagger.plugin.ts).
 * Advocacy sites read from their own pages (CORS origin *), so answers may be used cross-origin.
 *
 * Only the headers that mean something for a JSON API (OWASP's REST Security Cheat Sheet): no sniffing, no
 * framing, no referrer, who may read the answer, and HSTS on answers that went over HTTPS (TLS_HEADERS).
 * Helmet's other defaults are for HTML documents (opener isolation, agent clusters, DNS prefetching) or for
 * browsers long gone (IE8's download prompt, the XSS auditor, Flash's cross-domain policies): on every record
 * they were six headers and 230 bytes that no client acts on, which the API wrote and every client parsed (about 5% of the CPU of a GET one on both
 * sides, bench/RESULTS.md). Swagger UI's pages, which are documents, keep them (DOCUMENT_HEADERS).
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  xFrameOptions: { action: 'deny' },
  // Over HTTPS only: TLS_HEADERS.
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
}

/** The headers helmet sets with `options`, as a plain object, taken once from a stand-in response. */
function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return Object.freeze(headers)
}

/** The API's headers as a plain object, also for answers that leave before any hook runs (a request that Node's HTTP parser refuses, a malformed URL). */
export const SECURITY_HEADERS = helmetHeaders(HELMET_OPTIONS)

/**
 * Strict-Transport-Security, helmet's, on answers that reach the client over HTTPS only. RFC 6797 §7.2: a host
 * must not send it over plain HTTP, where anyone on the path could add or strip it and browsers ignore it. The
 * API listens on plain HTTP behind a TLS proxy, so it knows the client's scheme from X-Forwarded-Proto, believed
 * when that proxy is trusted (TRUST_PROXY, docs/deploy.md).
 */
export const TLS_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(helmetHeaders({})).filter(([name]) => name === 'strict-transport-security')),
)

/** Sets the security headers on an answer: the API's, and HSTS when the request came over HTTPS. */
export function sendSecurityHeaders(request: FastifyRequest, reply: FastifyReply) {
  reply.headers(SECURITY_HEADERS)
  if (request.protocol === 'https') reply.headers(TLS_HEADERS)
}

/**
 * What a page needs beyond the API's headers: helmet's defaults for documents (Swagger UI) that the API leaves out.
 * Not its Content-Security-Policy, which Swagger UI's plugin sets (staticCSP).
 */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    Object.entries(helmetHeaders({ contentSecurityPolicy: false })).filter(([name]) => !(name in SECURITY_HEADERS) && !(name in TLS_HEADERS)),
  ),
)

/**
 * The headers, computed once by helmet above, set on every answer: running helmet's middleware for each request
 * recomputed the same headers every time (5% of the CPU of a GET of one record, measured in the benchmark).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      sendSecurityHeaders(request, reply)
      done()
    })
  },
  { name: 'security-headers' },
)
