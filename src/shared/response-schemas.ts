import { PROBLEMS } from '../errors'

/**
 * Response schemas are registered once with `app.addSchema({ $id: 'Name', ... })` (swagger.plugin.ts) and
 * referenced from routes as `{ $ref: 'Name#' }`: the same object serialises the answer (fast-json-stringify,
 * which drops what a schema does not list, and fails on a missing `required` property) and becomes
 * `#/components/schemas/Name` in openapi.yaml, so generated clients get named types.
 */
export const ref = (id: string) => ({ $ref: `${id}#` })

/** `schema` or null: a null type beside a plain type, `anyOf` beside a reference; `{}` already allows null. */
export function nullable(schema: Record<string, unknown>, description?: string): Record<string, unknown> {
  const described = description ? { description } : {}
  if (Object.keys(schema).length === 0) return { ...described }
  if (typeof schema.type === 'string' && !('$ref' in schema)) {
    const enumeration = Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}
    return { ...schema, type: [schema.type, 'null'], ...enumeration, ...described }
  }
  return { anyOf: [schema, { type: 'null' }], ...described }
}

/** RFC 9457 problem details, as every error response carries them. */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json). Branch on `type`; the catalogue is at GET /problems.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'Stable identifier of the problem, e.g. /problems/uncited-value' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request target; absent only when the request line could not be read' },
    errors: {
      type: 'array',
      description: 'Each thing to fix, when there are several or one is in a field',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'JSON Pointer into the body, or the parameter name' },
          message: { type: 'string' },
        },
      },
    },
  },
}

/** A page of a cursor-paged list: `{ data, next }`. */
export function cursorPageSchema($id: string, item: string, description: string) {
  return {
    $id,
    type: 'object',
    description,
    additionalProperties: false,
    required: ['data', 'next'],
    properties: {
      data: { type: 'array', items: ref(item) },
      next: { type: ['string', 'null'], description: 'Pass as cursor to get the next page; null on the last page' },
    },
  }
}

/** A whole list: `{ data }`. */
export function listSchema($id: string, item: string, description: string) {
  return { $id, type: 'object', description, additionalProperties: false, required: ['data'], properties: { data: { type: 'array', items: ref(item) } } }
}

/**
 * What every dry run answers (`?dryRun=true`), whatever the operation: in words, that nothing was saved and what
 * would have happened, then what would have been saved. It does not look like a save: no id that a save would
 * have made (the thing does not exist), no ETag, no Location.
 */
export const dryRunSchema = {
  $id: 'DryRun',
  type: 'object',
  description: 'A dry run: everything was checked and nothing saved. Send the same request with dryRun=false to save it.',
  additionalProperties: false,
  required: ['saved', 'message'],
  properties: {
    saved: { type: 'boolean', enum: [false], description: 'Always false: nothing was saved' },
    message: { type: 'string', description: 'What would have happened, in words' },
    wouldBe: {
      type: 'object',
      description:
        "What would have been saved, as the operation would answer it, without the ids a save would give (the record's, " +
        "the proposal's, the source's, each new claim's: they do not exist). Absent when the operation answers nothing (a deletion).",
    },
    warnings: {
      type: 'array',
      items: ref('ValueWarning'),
      description: "A record's write: the values that no quote of theirs seems to say, as the save would answer them.",
    },
  },
}

export const SHARED_SCHEMAS = [problemSchema, dryRunSchema]

/** What an answer counted against a rate limit says of it (src/core/access/rate-limits.ts): every 429, and every counted write. */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': {
    type: 'string',
    description: 'The limit counted against (draft-ietf-httpapi-ratelimit-headers): `"writes";q=120;w=60`, 120 writes a minute per key; `"auth-failures";q=20;w=900`, 20 failed keys per 15 minutes per address',
  },
  RateLimit: { type: 'string', description: 'What is left of it: `"writes";r=117;t=42`, 117 writes in the 42 s until the window starts again' },
}

// Headers some problems carry.
const PROBLEM_HEADERS: Record<number, Record<string, { type: string; description: string }>> = {
  401: { 'WWW-Authenticate': { type: 'string', description: 'Bearer; with error="invalid_token" when the key sent is not valid' } },
  415: { 'Accept-Encoding': { type: 'string', description: 'On a Content-Encoding this API does not decode: the codings it does (gzip, deflate, br)' } },
  429: { 'Retry-After': { type: 'string', description: 'Seconds to wait before trying again' }, ...RATE_LIMIT_HEADERS },
  503: { 'Retry-After': { type: 'string', description: 'Seconds to wait before trying again (not when the database does not answer at all)' } },
}

/** The error responses of a route, for its documentation and serialisation: `problems(400, 404)`. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((status) => {
      const titles = Object.entries(PROBLEMS)
        .filter(([, problem]) => problem.status === status)
        .map(([slug, problem]) => `\`${slug}\`: ${problem.title}`)
      const headers = PROBLEM_HEADERS[status] ? { headers: PROBLEM_HEADERS[status] } : {}
      return [status, { description: titles.join('; '), ...headers, content: { 'application/problem+json': { schema: ref('Problem') } } }]
    }),
  )
}

export const etagHeader = { ETag: { type: 'string', description: 'Strong ETag; send it in If-Match to change the record' } }

/** Of a record or an event, to the callers who may read it unpublished. */
export const reviewStatusHeader = {
  'Review-Status': { type: 'string', enum: ['published', 'pending', 'rejected'], description: 'Sent with a key: whether it is public, waits for review or was rejected' },
}

/** 304, for GETs answered from the caching hook (src/plugins/http-caching.plugin.ts). */
export const notModified = {
  304: {
    type: 'null',
    description: 'Not Modified: If-None-Match holds the current ETag (weak comparison); no body',
    headers: { ETag: { type: 'string' } },
  },
}

/** A response with a named schema, its headers and a description. */
export function named(id: string, description: string, headers?: Record<string, unknown>) {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ref(id) } } }
}

/**
 * Security of reads. Public reads whose answer (or its Cache-Control) depends on the key declare it optional, so
 * Swagger UI sends it; the others declare none. A key sent anyway is checked on every route: an invalid one is 401.
 */
export const OPTIONAL_BEARER_SECURITY: { [scheme: string]: string[] }[] = [{}, { bearerAuth: [] }]
export const NO_SECURITY: [] = []

/** What any operation may answer whatever it does: a wrong key (401), too many failed keys from an address (429). */
export const ANY_REQUEST = [401, 429] as const

/** The header that says an answer is a dry run's: what would be saved, when nothing was. */
export const DRY_RUN_HEADER = { 'Dry-Run': { type: 'string', enum: ['true'], description: 'Present on a dry run: nothing was saved' } }

type JsonResponse = { description: string; headers?: Record<string, unknown>; content: { 'application/json': { schema: Record<string, unknown> } } }

/**
 * The 200 of every operation that takes `?dryRun`: a dry run's answer (DryRun), or, for an operation whose own
 * answer is a 200, that answer or a dry run's.
 */
export function dryRunResponse(own?: JsonResponse) {
  const dryRun = ref('DryRun')
  if (!own) return { description: 'Dry run (dryRun=true): checked, nothing saved; what would have happened', headers: DRY_RUN_HEADER, content: { 'application/json': { schema: dryRun } } }
  return {
    ...own,
    description: `${own.description}; or, in a dry run (dryRun=true), what would have happened (DryRun)`,
    headers: { ...own.headers, ...DRY_RUN_HEADER },
    content: { ...own.content, 'application/json': { schema: { oneOf: [own.content['application/json'].schema, dryRun] } } },
  }
}

/** A 200 that also answers `Accept: application/ld+json` with schema.org JSON-LD (src/modules/export/linked-data.ts). */
export function withLinkedData<T extends { content: Record<string, unknown> }>(response: T): T {
  return {
    ...response,
    content: {
      ...response.content,
      'application/ld+json': {
        schema: { type: 'object', required: ['@context', '@id', '@type'], description: 'schema.org JSON-LD, with an inline @context' },
      },
    },
  }
}

/**
 * Who made a change, as the caller is shown it (core/access/actors.ts): a key's name to editors and to the key
 * itself, a role and a pseudonym to everyone else (docs/design.md §2, invariant 8).
 */
export const ACTOR = { type: 'string', description: 'Key name (editors, own); else role and pseudonym: "volunteer 7f3a9c"' }
