import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { AUDIT_SCHEMAS } from '../modules/audit/audit.schemas'
import { CHANGE_SCHEMAS } from '../modules/changes/changes.schemas'
import { CITATION_SCHEMAS } from '../modules/citations/citations.schemas'
import { CLAIM_SCHEMAS } from '../modules/claims/claims.schemas'
import { HEALTH_SCHEMAS } from '../modules/health/health.schemas'
import { KEY_SCHEMAS } from '../modules/keys/keys.schemas'
import { PRISONER_SCHEMAS } from '../modules/prisoners/prisoners.schemas'
import { PROBLEM_TYPE_SCHEMAS } from '../modules/problems/problems.schemas'
import { REVIEW_SCHEMAS } from '../modules/review/review.schemas'
import { SOURCE_SCHEMAS } from '../modules/sources/sources.schemas'
import { dtoComponentSchemas } from '../shared/dto'
import { SHARED_SCHEMAS } from '../shared/response-schemas'

/**
 * Every named response schema. Registered once on the root instance, before the routes: routes reference them
 * as `{ $ref: 'Prisoner#' }`, Fastify serialises answers with them, and @fastify/swagger lists them as
 * `components/schemas/<$id>` (see refResolver below).
 */
export const RESPONSE_SCHEMAS: { $id: string }[] = [
  ...SHARED_SCHEMAS,
  ...PRISONER_SCHEMAS,
  ...SOURCE_SCHEMAS,
  ...CITATION_SCHEMAS,
  ...CLAIM_SCHEMAS,
  ...CHANGE_SCHEMAS,
  ...AUDIT_SCHEMAS,
  ...REVIEW_SCHEMAS,
  ...KEY_SCHEMAS,
  ...PROBLEM_TYPE_SCHEMAS,
  ...HEALTH_SCHEMAS,
]

const DESCRIPTION = [
  'A registry of political prisoners in which **every fact carries its evidence**: each value of a record ' +
    '(name, nationality, status, sentence, release date, destination) comes with citations that name a source ' +
    "and quote its exact words, checked against the source's archived text.",
  '',
  '- Reads are public and cacheable (strong `ETag`, `If-None-Match` → 304).',
  '- Writes send each field as `{ "value": …, "citations": [{ "sourceId": "…", "quote": "…" }] }`; a value ' +
    'without a citation, or a quote that is not in its source, is refused with 422.',
  '- `PATCH` and `DELETE` need `If-Match` with the ETag you read: 412 when it is stale, 428 when missing.',
  '- Every error is `application/problem+json` (RFC 9457) with `errors: [{ path, message }]`.',
  '',
  '**Volunteers**: click *Authorize*, paste your key, then open `POST /v1/prisoners`, *Try it out*, *Execute*. ' +
    'Find source ids with `GET /v1/sources` and their text with `GET /v1/sources/{id}/content`: quote it word for word. ' +
    'What you add waits for an editor before it is public.',
].join('\n')

const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ')

/**
 * Swagger UI finds its document at `location.href + '/./json'`, query string included: `/docs?utm_source=x`
 * loads `/docs?utm_source=x/./json`, the page itself, and "Unable to render this definition"; and
 * `/docs/static/index.html?url=x` redirects to itself forever, as its redirect only rewrites a URL that ends
 * in index.html. The page takes no query parameters (deep links are in the fragment, which browsers keep
 * across a redirect), so a page URL with a query redirects once to the same page without it.
 */
function dropDocsQuery(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
  const route = request.routeOptions.url
  if (!request.url.includes('?') || (route !== '/docs' && route !== '/docs/' && route !== '/docs/static/index.html')) return done()
  reply.redirect(request.url.split('?')[0].replace(/\/static\/index\.html$/, '/'))
}

// The answers many operations share, by status: listed once under components/responses.
const SHARED_RESPONSES: Record<string, string> = {
  304: 'NotModified',
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
}

type OpenApiDocument = {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>
  components?: { responses?: Record<string, unknown>; schemas?: Record<string, unknown> }
}

/**
 * Routes document their problems and 304 inline (Fastify serialises by them); in the document, each such answer
 * that is the same everywhere becomes one `components/responses` entry and a `$ref`, which keeps the file small.
 */
function shareResponses(document: object) {
  const openapiObject = (document as { openapiObject: OpenApiDocument }).openapiObject
  const shared: Record<string, unknown> = {}
  for (const item of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const name = SHARED_RESPONSES[status]
        if (!name) continue
        shared[name] ??= response
        if (JSON.stringify(shared[name]) === JSON.stringify(response)) {
          operation.responses![status] = { $ref: `#/components/responses/${name}` }
        }
      }
    }
  }
  const components = { ...openapiObject.components, responses: { ...openapiObject.components?.responses, ...shared } }
  return { ...openapiObject, components: { ...components, schemas: usedSchemas([openapiObject.paths, components.responses], components.schemas ?? {}) } } as never
}

/**
 * Only the schemas something refers to: query and path DTOs are inlined as parameters, so their own
 * components would be unused (DTO components otherwise stay, referenced from request bodies).
 */
function usedSchemas(roots: unknown[], schemas: Record<string, unknown>): Record<string, unknown> {
  const used = new Set<string>()
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (!value || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
        const name = child.slice('#/components/schemas/'.length)
        if (!used.has(name)) {
          used.add(name)
          walk(schemas[name])
        }
      } else walk(child)
    }
  }
  walk(roots)
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)))
}

/** The OpenAPI document, generated from the routes' schemas, and Swagger UI at /docs. */
export default fp(
  async (app) => {
    for (const schema of RESPONSE_SCHEMAS) app.addSchema(schema)
    await app.register(swagger, {
      // A shared schema becomes the component named by its $id (the default would be def-0, def-1, ...).
      refResolver: { buildLocalReference: (json) => String(json.$id) },
      transformObject: shareResponses,
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Political prisoner registry',
          version: '1.0.0',
          description: DESCRIPTION,
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: [{ url: '/', description: 'This server (the API answers at the origin that serves this document)' }],
        tags: [
          { name: 'prisoners', description: 'Records of people, every value cited' },
          { name: 'sources', description: 'Archived sources that citations quote' },
          { name: 'audit', description: 'Trace values to their words, replay every change, re-verify the archive' },
          { name: 'review', description: "Editors approve or reject volunteers' submissions" },
          { name: 'keys', description: 'Admins manage API keys' },
          { name: 'meta', description: 'Health and error catalogue' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description: 'The API key you were given (it starts with ppr_). Click Authorize and paste it.',
            },
          },
          schemas: dtoComponentSchemas() as never,
        },
      },
    })
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true },
      // Replaces the API's policy (security-headers.plugin.ts) on the pages and files of Swagger UI: everything
      // from this origin; no inline script (inline style only: its bundle injects a <style> element, as helmet's
      // defaults allow). Not upgrade-insecure-requests: served over plain HTTP (a local run, a LAN address), it
      // would turn every script and call of the page into an https one that fails.
      staticCSP: DOCS_CSP,
      uiHooks: { onRequest: dropDocsQuery },
    })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'swagger' },
)
