import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { dtoComponentSchemas } from '../shared/dto'

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

/** The OpenAPI document, generated from the routes' schemas, and Swagger UI at /docs. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Political prisoner registry', version: '1.0.0', description: DESCRIPTION },
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
