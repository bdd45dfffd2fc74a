import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export const REQUEST_ID_HEADER = 'x-request-id'

// What a request id given by a proxy may hold: enough for a UUID, a trace id or nginx's $request_id, and nothing
// that could forge a log line or a header (no spaces, no control characters).
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/**
 * Fastify's `genReqId`: the id the reverse proxy sent in X-Request-Id, so that one request can be followed from
 * the proxy's log to the API's, or a new UUID when there is none or it is not an acceptable id.
 */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID()
}

/** Every answer names its request id, the one in the API's log lines (reqId), so a user can quote it in a report. */
export function sendRequestId(request: FastifyRequest, reply: FastifyReply) {
  reply.header(REQUEST_ID_HEADER, request.id)
}

export default fp(
  async (app) => {
    // A callback hook, not an async one: it runs on every request, and needs no promise.
    app.addHook('onRequest', (request, reply, done) => {
      sendRequestId(request, reply)
      done()
    })
  },
  { name: 'request-id' },
)
