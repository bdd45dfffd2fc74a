import { problems } from '../shared/response-schemas'

/**
 * What the server sends on every operation, or on every cached read, whatever the route declares: added to the
 * OpenAPI document once, here, rather than to each route. Each is declared once under `components` and referred to.
 *
 * - 408 and 431: Node's HTTP server refuses a request that is too slow or whose headers are too large before any
 *   route sees it (sendClientError, problem-details.plugin.ts), on any path; written on the socket, without a
 *   request id.
 * - 503: an instance shutting down turns every new request away (shutdown.plugin.ts), and a database that does not
 *   answer fails any read or write (src/db/storage-errors.ts).
 * - `X-Request-Id` on every other answer (request-id.plugin.ts).
 * - `ETag`, `Cache-Control` and `Vary` on a read answered whole, and on its 304 (http-caching.plugin.ts): the GETs
 *   that document 304.
 */

type Json = Record<string, unknown>
type Operation = { responses?: Record<string, Json> }
type OpenApiDocument = {
  paths?: Record<string, Record<string, Operation>>
  components?: { responses?: Record<string, Json>; headers?: Record<string, Json> }
}

const HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description: "This request's id, as in the server's log (the one a proxy sent, when acceptable): quote it when reporting a problem.",
    schema: { type: 'string' },
  },
  ETag: { description: 'Strong ETag of this answer: send it in If-None-Match to get 304 while it is unchanged.', schema: { type: 'string' } },
  'Cache-Control': {
    description: 'public, max-age=60, must-revalidate for a public read; private, no-cache when a key was sent (the answer depends on it); no-store on health.',
    schema: { type: 'string' },
  },
  Vary: { description: 'The request headers this answer depends on: Authorization always, and Accept or Accept-Language where they change it.', schema: { type: 'string' } },
}
const header = (name: string) => ({ $ref: `#/components/headers/${name}` })

/** The problems any operation may answer, by status, and their shared response's name. */
const ANY_OPERATION: Record<string, string> = { 408: 'RequestTimeout', 431: 'RequestHeaderFieldsTooLarge', 503: 'ServiceUnavailable' }
/** Answered on the socket before a request has an id. */
const WITHOUT_REQUEST_ID = new Set(['RequestTimeout', 'RequestHeaderFieldsTooLarge'])

/** A problem response as the document writes it (the routes' `Problem#` is the component's reference there). */
function problemResponse(status: number): Json {
  return JSON.parse(JSON.stringify(problems(status)[status]).replaceAll('"Problem#"', '"#/components/schemas/Problem"'))
}

const withHeaders = (response: Json, names: string[]): Json => {
  const headers = { ...(response.headers as Json | undefined) }
  for (const name of names) headers[name] ??= header(name)
  return { ...response, headers }
}

/** The document with the common answers and headers added to each operation (swagger.plugin.ts's transformObject). */
export function addCommonAnswers(generated: object): object {
  const document = generated as OpenApiDocument
  const responses: Record<string, Json> = { ...document.components?.responses }
  for (const [status, name] of Object.entries(ANY_OPERATION)) responses[name] ??= problemResponse(Number(status))
  const cachedRead = new Set<string>()
  const paths = Object.fromEntries(
    Object.entries(document.paths ?? {}).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const own = { ...operation.responses }
          for (const [status, name] of Object.entries(ANY_OPERATION)) own[status] ??= { $ref: `#/components/responses/${name}` }
          const cached = method === 'get' && own['304'] !== undefined
          for (const [status, response] of Object.entries(own)) {
            const ref = typeof response.$ref === 'string' ? response.$ref.split('/').pop()! : undefined
            if (ref) {
              if (cached && status === '304') cachedRead.add(ref)
              continue
            }
            own[status] = withHeaders(response, ['X-Request-Id', ...(cached && status.startsWith('2') ? ['ETag', 'Cache-Control', 'Vary'] : [])])
          }
          return [method, { ...operation, responses: own }]
        }),
      ),
    ]),
  )
  for (const [name, response] of Object.entries(responses)) {
    if (WITHOUT_REQUEST_ID.has(name)) continue
    responses[name] = withHeaders(response, ['X-Request-Id', ...(cachedRead.has(name) ? ['ETag', 'Cache-Control', 'Vary'] : [])])
  }
  return { ...document, paths, components: { ...document.components, responses, headers: { ...document.components?.headers, ...HEADERS } } }
}
