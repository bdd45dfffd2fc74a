import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { FieldError, PROBLEMS, ProblemError, ProblemSlug, bodyTooLarge, problemType } from '../errors'
import { SECURITY_HEADERS, sendSecurityHeaders } from './security-headers.plugin'
import { sendRequestId } from './request-id.plugin'
import { answerRawUtf8, rawUtf8Request } from './raw-utf8-query'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

// Fastify's own errors (body parsing, routing) and the problem each one is to a client.
const FASTIFY_ERRORS: Record<string, ProblemSlug> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_NOT_FOUND: 'not-found',
  FST_ERR_VALIDATION: 'invalid-request',
  FST_ERR_BAD_URL: 'invalid-request',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid-request',
}

function asProblem(error: FastifyError, bodyLimit?: number): ProblemError {
  if (error instanceof ProblemError) return error
  // Fastify's own 413 (a JSON or urlencoded body) in the words of every other: the limit it passed.
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && bodyLimit !== undefined) return bodyTooLarge(bodyLimit)
  const slug = FASTIFY_ERRORS[error.code]
  if (slug) return new ProblemError(slug, error.message)
  if (error.statusCode === 429) return new ProblemError('rate-limited', error.message)
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ProblemError('invalid-request', error.message)
  }
  return new ProblemError('internal', 'The request could not be completed. It has been logged; nothing was changed.')
}

/** The body of every problem this API answers with; `instance` is left out only when the request target is unknown. */
export function problemBody(slug: ProblemSlug, detail: string, instance: string | undefined, errors?: FieldError[]) {
  const { status, title } = PROBLEMS[slug]
  return { type: problemType(slug), title, status, detail, ...(instance === undefined ? {} : { instance }), ...(errors ? { errors: errors.map(({ path, message }) => ({ path, message })) } : {}) }
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  slug: ProblemSlug,
  detail: string,
  errors?: FieldError[],
) {
  return reply
    .code(PROBLEMS[slug].status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(slug, detail, request.url, errors))
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed URL) as problems too.
 * No hook has run for them, so the security headers are set here. (Fastify builds their request without its
 * trust-proxy getters, so they go without HSTS behind a proxy: a browser takes it from any other answer.)
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = asProblem(error)
  sendSecurityHeaders(request, reply)
  sendRequestId(request, reply)
  return sendProblem(request, reply, problem.slug, problem.detail, problem.errors)
}

/** The detail of a 501: the method is none of this API's, and what the path has instead (when it is a path of it). */
export function notImplemented(method: string, path: string | undefined, allowed: string[]): string {
  const instead = allowed.length > 0 ? `; ${path} has ${allowed.join(', ')}` : ''
  return `${method} is not a method this API implements on any path${instead}.`
}

// What Node's HTTP parser (llhttp) refuses, in words a client can act on.
const PARSER_ERRORS: Record<string, string> = {
  HPE_INVALID_METHOD: 'The request line does not begin with an HTTP method.',
  HPE_INVALID_HEADER_TOKEN: 'A header name or value holds a character HTTP does not allow there (a control character, for example).',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length must be a whole number of bytes.',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'The request has both Content-Length and Transfer-Encoding: send one of them.',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not valid, or comes with Content-Length: send one of them, and only chunked.',
  HPE_INVALID_CHUNK_SIZE: 'The chunked body is malformed: a chunk size is not a hexadecimal number.',
  HPE_INVALID_URL: 'The request target (the path) holds a character a URL may not have.',
  HPE_INVALID_VERSION: 'The request line does not end with a known HTTP version (HTTP/1.1).',
  HPE_LF_EXPECTED: 'A line of the request does not end with CRLF.',
}

/** The request line the parser stopped in, when its target is a plain path (it becomes `instance`). */
function requestLine(error: ConnectionError): { method: string; target: string } | undefined {
  const raw: unknown = error.rawPacket
  if (!Buffer.isBuffer(raw)) return undefined
  const requestLines = [...raw.toString('latin1').matchAll(/(?:^|\n)([!-~]+) (\/[!-~]*) HTTP\/\d\.\d\r?\n/g)]
  const line = requestLines.filter((line) => line.index <= error.bytesParsed).at(-1)
  return line && { method: line[1], target: line[2] }
}

/** A method as RFC 9110 §9.1 spells one: a token. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP server refuses before Fastify sees a request (the
 * parser's 400s, 431, the request timeout's 408) answers problem+json too. There is no reply to send it
 * with, so the response is written on the socket, which is then closed.
 */
export function sendClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  this.log.trace({ err: error }, 'client error')
  // A response already under way (a pipelined request before this one) cannot be followed by another.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean; req?: { url?: string } } })._httpMessage
  const rawUtf8 = inFlight ? undefined : rawUtf8Request(error)
  if (rawUtf8) {
    answerRawUtf8(this, rawUtf8, socket).catch((err: unknown) => {
      this.log.error({ err }, 'answering a query string of raw UTF-8')
      socket.destroy()
    })
    return
  }
  let slug: ProblemSlug = 'invalid-request'
  let detail: string
  let instance: string | undefined
  let allowed: string[] = []
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    slug = 'request-timeout'
    detail = 'The request (its headers and body) did not arrive in time; send it again.'
    instance = inFlight?.req?.url
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    slug = 'headers-too-large'
    detail = 'The request line and headers are larger than this server accepts.'
    instance = requestLine(error)?.target
  } else {
    const line = requestLine(error)
    instance = line?.target
    if (error.code === 'HPE_INVALID_METHOD' && line && METHOD_TOKEN.test(line.method)) {
      // A method Node's parser does not know (FOO): one no registry has, which this API implements on no path: 501
      // (allowed-methods.plugin.ts: RFC 9110 §15.6.2, not the 405 of §15.5.6). A request line that is no HTTP
      // at all stays 400.
      slug = 'not-implemented'
      allowed = this.allowedMethods(line.target.split('?')[0])
      detail = notImplemented(line.method, line.target.split('?')[0], allowed)
    } else {
      detail = PARSER_ERRORS[error.code] ?? 'The request is not valid HTTP/1.1.'
    }
  }
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(problemBody(slug, detail, instance))
    const { status } = PROBLEMS[slug]
    const headers: Record<string, string | number> = {
      date: new Date().toUTCString(),
      connection: 'close',
      'content-type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      'content-length': Buffer.byteLength(body),
      ...SECURITY_HEADERS,
      ...(allowed.length > 0 ? { allow: allowed.join(', ') } : {}),
    }
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`)
  }
  socket.destroySoon()
}

/**
 * Every error leaves as RFC 9457 problem details from here, and only from here.
 * Unexpected errors are logged with their stack; the client gets a plain 500 without one.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = asProblem(error, request.routeOptions.bodyLimit)
      if (problem.slug === 'internal') request.log.error({ err: error }, 'unexpected error')
      reply.headers(problem.headers)
      return sendProblem(request, reply, problem.slug, problem.detail, problem.errors)
    })
  },
  { name: 'problem-details' },
)
