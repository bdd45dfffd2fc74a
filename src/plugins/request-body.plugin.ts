import { Transform, type Readable } from 'node:stream'
import zlib from 'node:zlib'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError, bodyTooLarge } from '../errors'

/**
 * What every request body goes through before its parser (JSON, urlencoded or multipart) reads it, so that no
 * body costs more than the configured bodyLimit (docs/design.md §2, invariant 10) and none reaches a route as
 * something it is not:
 *
 * - `Content-Encoding` (RFC 9110 §8.4): gzip, deflate and br are decoded, and the decoded bytes are counted as they
 *   come: past the body limit the decoder is stopped and the answer is the same 413 as a plain body's, so a small
 *   compressed body that would inflate to gigabytes (a zip bomb) costs at most the limit. Decoding rather than
 *   refusing every coding: a client that compresses a long article saves most of its upload, and the bound is the
 *   same either way. Any other coding, or several stacked, is 415 with `Accept-Encoding` naming the ones decoded
 *   (RFC 9110 §15.5.16); before, a br body was stored as if it were plain text and a gzip one was "malformed JSON".
 * - A write that needs a body and has none (no body, or an empty one) is 400 saying so and what it takes, rather
 *   than reaching its route as `undefined`.
 */
export const DECODED_CODINGS = ['gzip', 'deflate', 'br'] as const

const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  // RFC 9110 §8.4.1.3: x-gzip is gzip.
  'x-gzip': () => zlib.createGunzip(),
  // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2).
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
}

/** The codings applied to the body, identity left out (it means none). */
function contentCodings(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
}

/** Whether the request carries body bytes (a bodyless request's Content-Encoding labels nothing). */
function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function unsupportedCoding(codings: string[]): ProblemError {
  const decoded = `${DECODED_CODINGS.slice(0, -1).join(', ')} or ${DECODED_CODINGS.at(-1)}`
  const detail =
    codings.length > 1
      ? `The body is encoded ${codings.length} times (Content-Encoding: ${codings.join(', ')}); this API decodes one coding, ${decoded}.`
      : `The body is encoded as ${codings[0]}; this API decodes ${decoded}, or takes the body as it is (no Content-Encoding).`
  return new ProblemError('unsupported-content-encoding', detail, [{ path: 'Content-Encoding', message: `must be one of ${decoded}, or left out` }], {
    'accept-encoding': DECODED_CODINGS.join(', '),
  })
}

/**
 * The decoded body, for the parser to read as it reads a plain one. `receivedEncodedLength` is how Fastify's own
 * parsers check Content-Length (and the limit) against the bytes that came, not the decoded ones. Past `limit`
 * decoded bytes, or on data that is not in the coding named, it fails with the problem, and the decoder is
 * destroyed and the request no longer read: nothing more is inflated.
 */
function decodedBody(raw: Readable, coding: string, limit: number): Readable {
  const decoder = DECODERS[coding]()
  let decodedBytes = 0
  const body = Object.assign(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        decodedBytes += chunk.length
        callback(decodedBytes > limit ? bodyTooLarge(limit) : null, chunk)
      },
    }),
    { receivedEncodedLength: 0 },
  )
  const countEncoded = (chunk: Buffer) => {
    body.receivedEncodedLength += chunk.length
  }
  decoder.on('error', (error) => {
    body.destroy(new ProblemError('undecodable-body', `The body is labelled Content-Encoding: ${coding}, but is not ${coding} data (${error.message}).`))
  })
  body.on('close', () => {
    raw.removeListener('data', countEncoded)
    raw.unpipe(decoder)
    if (!raw.readableEnded) raw.pause()
    decoder.destroy()
  })
  raw.on('data', countEncoded)
  raw.pipe(decoder).pipe(body)
  return body
}

interface BodySchema {
  content?: Record<string, { schema?: { required?: string[] } }>
  required?: string[]
}

/** The body schema of the route, if it takes a body. */
const bodySchemaOf = (request: FastifyRequest) => (request.routeOptions.schema as { body?: BodySchema } | undefined)?.body

/** A body its route cannot do without: one that names content types (JSON or a form), or has fields it requires. */
function needsBody(schema: BodySchema | undefined): schema is BodySchema {
  return schema !== undefined && (schema.content !== undefined || (schema.required ?? []).length > 0)
}

/** 400 for a missing body: what the operation takes (its content types and the fields it requires). */
function missingBody(schema: BodySchema): ProblemError {
  const types = Object.keys(schema.content ?? { 'application/json': {} })
  const forms = types.filter((type) => type !== 'application/json')
  const required = (schema.content?.['application/json']?.schema ?? schema).required ?? []
  const takes = `a JSON object (application/json)${forms.length ? `, or a form (${forms.join(' or ')})` : ''}`
  const fields = required.length ? ` with at least ${required.join(', ')}` : ''
  return new ProblemError('missing-body', `The request has no body (or an empty one). This operation takes ${takes}${fields}.`, [
    { path: '', message: `is missing; send ${takes}${fields}` },
  ])
}

export default fp(
  async (app) => {
    const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024

    // Both hooks run for every request, and matter to those with a body only: the rest (reads) leave at the first test.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      if (request.headers['content-encoding'] === undefined) return done(null, payload)
      const codings = contentCodings(request.headers['content-encoding'])
      if (codings.length === 0 || !carriesBody(request)) return done(null, payload)
      if (codings.length > 1 || !DECODERS[codings[0]]) return done(unsupportedCoding(codings))
      done(null, decodedBody(payload, codings[0], request.routeOptions.bodyLimit ?? bodyLimit))
    })

    // Before the form plugin's hook (registered after this one) and the validation of the body.
    app.addHook('preValidation', (request, _reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') return done()
      const schema = bodySchemaOf(request)
      // An empty form parses as no fields ({}), an empty JSON or multipart body as none: both are no body.
      const empty = request.body === undefined || request.headers['content-length'] === '0'
      if (empty && needsBody(schema)) return done(missingBody(schema))
      done()
    })
  },
  { name: 'request-body' },
)
