import type { IncomingMessage, ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import helmet, { HelmetOptions } from 'helmet'

/**
 * Security headers on every answer (helmet). The API answers JSON, never a page, so its policy forbids
 * everything a page could load or do; Swagger UI at /docs replaces it with its own (swagger.plugin.ts).
 * Advocacy sites read from their own pages (CORS origin *), so answers may be used cross-origin.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  xFrameOptions: { action: 'deny' },
}

/**
 * The same headers as a plain object, for answers that leave before any hook runs (a request that Node's
 * HTTP parser refuses, a malformed URL): helmet's own output, taken once from a stand-in response.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return Object.freeze(headers)
})()

/**
 * The headers, computed once by helmet above, set on every answer: running helmet's middleware for each request
 * recomputed the same ~12 headers every time (5% of the CPU of a GET of one record, measured in the benchmark).
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS)
      done()
    })
  },
  { name: 'security-headers' },
)
