import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyReply, FastifyRequest, FastifySchema, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { dtoComponentSchemas } from '../shared/dto'
import { addCommonAnswers } from './openapi-common-answers'
import { addAnswerExamples } from './openapi-examples'
import { DOCUMENT_HEADERS } from './security-headers.plugin'

const DESCRIPTION = [
  'A registry of political prisoners in which **every fact carries its evidence**: each value of a record ' +
    '(name, nationality, status, sentence, release date, destination) comes with citations that name a source ' +
    "and quote its exact words, checked against the source's archived text.",
  '',
  '**Volunteers**: click *Authorize* and paste your key (it stays in this browser until you click *Logout* there: do ' +
    'so on a shared computer). Then work down the first three groups: **Add a source** (find the source, or add it, ' +
    'and the sentences to quote), **Add a record** (quote them word for word), **Follow my submissions** (what you ' +
    'add waits for an editor before it is public). Open an operation, change the example, click *Execute*.',
  '',
  '**Developers**:',
  '- Reads are public and cacheable (strong `ETag`, `If-None-Match` → 304).',
  '- Writes send each field as `{ "value": …, "citations": [{ "sourceId": "…", "quote": "…" }] }`; a value ' +
    'without a citation, or a quote that is not in its source, is refused with 422.',
  '- `PATCH` and `DELETE` need `If-Match` with the ETag you read: 412 when it is stale, 428 when missing.',
  '- Every error is `application/problem+json` (RFC 9457) with `errors: [{ path, message }]`.',
  '- The whole document: `/openapi.json`.',
].join('\n')

/**
 * The groups of Swagger UI, in the order of the page: a volunteer's three tasks first, each operation in the order
 * of the task, then the editors', the readers', the auditors' and the admins' operations. Every documented
 * operation is in exactly one group, named here by its operationId: a route whose operationId is not listed
 * stops the app at startup (see checkTagged), so that no new operation is ever left out of the page unnoticed.
 */
export const OPERATION_GROUPS: { name: string; description: string; operations: string[] }[] = [
  {
    name: 'Add a source',
    description:
      'Step 1. Every value you add quotes a source. Look for it first; if it is not there, add it with its text, or by its ' +
      'address alone (capture: the registry fetches and keeps the page). Then find the sentences to quote in it.',
    operations: ['createSource', 'listSources', 'getSourcePassages', 'getSourceContent', 'recaptureSource'],
  },
  {
    name: 'Add a record',
    description:
      'Step 2. Add a person, or propose a change to a record, quoting your sources word for word; or add an event (a release, ' +
      'a transfer) and what the sources say about it as a group; read the people a statement lists into candidate ' +
      'records and submit those you keep; or import many people at once from a spreadsheet. An editor checks it before ' +
      'it is public.',
    operations: ['createPrisoner', 'updatePrisoner', 'createEvent', 'updateEvent', 'readCandidates', 'submitCandidates', 'importPrisoners', 'getImport'],
  },
  {
    name: 'Follow my submissions',
    description: 'Step 3. What you submitted, and where it stands: waiting for an editor, approved, or rejected and why.',
    operations: ['listSubmissions', 'getPrisoner', 'getProposal', 'getPrisonerHistory', 'getEventProposal'],
  },
  {
    name: 'Review (editors)',
    description:
      'For editors: approve or reject what volunteers submitted; delete a record, or restore it; withhold a value from the ' +
      'public (a family asks, or publishing it would endanger someone), or publish it again, and redact its words where they ' +
      "stay in a source's public text; delete an event, or restore it.",
    operations: [
      'listReviewQueue',
      'reviewPrisoner',
      'reviewProposal',
      'reviewEvent',
      'reviewEventProposal',
      'deletePrisoner',
      'restorePrisoner',
      'withholdField',
      'discloseField',
      'listSourceRedactions',
      'redactSource',
      'removeSourceRedaction',
      'deleteEvent',
      'restoreEvent',
    ],
  },
  {
    name: 'Read the registry',
    description:
      'For everyone, with or without a key: list and search records, read a source, read the events people took part in, ' +
      'download everything, follow every change.',
    operations: [
      ...['listPrisoners', 'getSource', 'listEvents', 'getEvent', 'exportPrisoners', 'exportEvents', 'listChanges', 'listEventChanges'],
      // For sites: feeds and linked data.
      ...['getChangesAtom', 'getPrisonerChangesAtom'],
    ],
  },
  {
    name: 'Audit',
    description:
      'Check the evidence: follow a citation to its words, see what cites a source, compare the claims of a field, ' +
      're-verify the archive, measure how much is cited.',
    operations: ['getCitation', 'listSourceCitations', 'listFieldClaims', 'addFieldClaim', 'rankFieldClaim', 'listEventFieldClaims', 'rankEventFieldClaim', 'getEventHistory', 'verifyArchive', 'getCoverage', 'getSourceCaptureWarc'],
  },
  {
    name: 'Verify the history',
    description:
      'For auditors: keep a signed checkpoint of the history chain, download the export later and verify it without the ' +
      'server (npm run verify-history): any revision edited, deleted, reordered or inserted since is reported by its position.',
    operations: [
      'listHistoryCheckpoints',
      'getHistoryPublicKey',
      'exportHistory',
      'getHistoryInclusionProof',
      'getHistoryConsistencyProof',
      'createHistoryCheckpoint',
    ],
  },
  {
    name: 'Webhooks and the card',
    description:
      'For advocacy sites: have each public change POSTed to your URL, signed (editors and admins register one); put a ' +
      "record's card on your page with one script.",
    operations: ['createWebhook', 'listWebhooks', 'getWebhook', 'deleteWebhook', 'listWebhookDeliveries', 'getEmbedScript', 'getEmbedManifest'],
  },
  { name: 'Keys', description: 'For admins: make, list and revoke API keys.', operations: ['listKeys', 'createKey', 'revokeKey'] },
  { name: 'Meta', description: 'For programs: is the service up, and what each kind of error means.', operations: ['getHealth', 'getReadiness', 'listProblemTypes', 'getProblemType'] },
]

/** operationId → its group. */
const GROUP_OF = new Map(OPERATION_GROUPS.flatMap((group) => group.operations.map((id) => [id, group.name] as const)))

/**
 * A route that is documented (it has a schema and is not hidden) needs an operationId listed in OPERATION_GROUPS.
 * Checked as each route is added, so a missing one fails the start of the app with this message.
 */
function checkTagged({ method, url, schema }: { method: string | string[]; url: string; schema?: unknown }) {
  const { operationId, hide } = (schema ?? {}) as FastifySchema
  if (!schema || hide) return
  if (typeof operationId !== 'string' || !GROUP_OF.has(operationId)) {
    throw new Error(
      `${String(method)} ${url}: ${typeof operationId === 'string' ? `operationId "${operationId}" is in no group` : 'no operationId'}: ` +
        'add it to OPERATION_GROUPS in src/plugins/swagger.plugin.ts, so that it is listed on /docs under the right task',
    )
  }
}

/** Each operation's tag is its group (the routes' own tags are replaced). */
function tagByGroup({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const operationId = schema?.operationId
  if (!schema || schema.hide || typeof operationId !== 'string') return { schema, url }
  const group = GROUP_OF.get(operationId)
  if (!group) throw new Error(`operationId "${operationId}" (${url}) is in no group of OPERATION_GROUPS`)
  return { schema: { ...schema, tags: [group] }, url }
}

/**
 * Swagger UI's operationsSorter: within a group, the operations in the order of OPERATION_GROUPS (the order of the
 * task) rather than of the paths. Swagger UI runs it in the browser, from its source text: hence a function built
 * from text, with the order written into it.
 */
const operationsSorter = new Function(
  'a',
  'b',
  `const order = ${JSON.stringify(OPERATION_GROUPS.flatMap((group) => group.operations))};
  const rank = (op) => { const i = order.indexOf(op.getIn(['operation', 'operationId'])); return i < 0 ? order.length : i; };
  return rank(a) - rank(b);`,
) as (a: string, b: string) => number // typed as Swagger UI's types say; it is given Immutable maps

/**
 * A Swagger UI plugin: a form field whose schema says `format: multiline` (a source's pasted text) is a
 * <textarea>, since the <input> Swagger UI renders for every other text turns each pasted line break into a space.
 * Swagger UI picks `JsonSchema_<type>_<format>` when a plugin provides it. Sent to the browser as its source text,
 * so it uses only what Swagger UI hands it (its React, the field's props).
 */
function multilineFields(system: { React: { createElement(type: string, props: object): unknown } }) {
  type FieldProps = {
    value?: unknown
    description?: string
    disabled?: boolean
    errors?: { toJS?: () => string[] }
    onChange: (value: string) => void
  }
  return {
    components: {
      JsonSchema_string_multiline: (props: FieldProps) => {
        const errors = props.errors?.toJS?.() ?? []
        return system.React.createElement('textarea', {
          className: errors.length ? 'invalid' : '',
          title: errors.join(', '),
          value: typeof props.value === 'string' ? props.value : '',
          rows: 12,
          placeholder: props.description,
          disabled: props.disabled,
          onChange: (event: { target: { value: string } }) => props.onChange(event.target.value),
        })
      },
    },
  }
}

/** The registry's name in the top bar, instead of the logo of the framework; no "Explore" box for other documents. */
const TITLE = 'Political prisoner registry'
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#fff"/><path fill="#1b1b1b" d="M7 19.5C7 14 10 10 14 8.5l1 2C12.6 11.8 11.5 13.6 11.4 15H14v7H7zm11 0c0-5.5 3-9.5 7-11l1 2c-2.4 1.3-3.5 3.1-3.6 4.5H25v7h-7z"/></svg>`
const THEME_CSS = `
.swagger-ui .topbar .topbar-wrapper > a.link { display: flex; align-items: center; gap: 12px; margin-right: auto; text-decoration: none; }
.swagger-ui .topbar .topbar-wrapper > a.link::after { content: '${TITLE}'; color: #fff; font: 700 22px sans-serif; white-space: nowrap; }
.swagger-ui .topbar .download-url-wrapper { display: none; }
`

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
  components?: { headers?: Record<string, unknown>; responses?: Record<string, unknown>; schemas?: Record<string, unknown> }
}

// The response headers many operations send alike (every counted write's): listed once under components/headers.
const SHARED_HEADERS = ['RateLimit-Policy', 'RateLimit']

function shareHeaders(response: { headers?: Record<string, unknown> }, shared: Record<string, unknown>) {
  for (const name of SHARED_HEADERS) {
    const header = response.headers?.[name]
    if (!header) continue
    shared[name] ??= header
    if (JSON.stringify(shared[name]) === JSON.stringify(header)) response.headers![name] = { $ref: `#/components/headers/${name}` }
  }
}

/**
 * Routes document their problems and 304 inline (Fastify serialises by them); in the document, each such answer
 * that is the same everywhere becomes one `components/responses` entry and a `$ref`, which keeps the file small.
 */
function shareResponses(document: object) {
  const openapiObject = (document as { openapiObject: OpenApiDocument }).openapiObject
  const shared: Record<string, unknown> = {}
  const sharedHeaders: Record<string, unknown> = {}
  for (const item of Object.values(openapiObject.paths ?? {})) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        shareHeaders(response as { headers?: Record<string, unknown> }, sharedHeaders)
        const name = SHARED_RESPONSES[status]
        if (!name) continue
        shared[name] ??= response
        if (JSON.stringify(shared[name]) === JSON.stringify(response)) {
          operation.responses![status] = { $ref: `#/components/responses/${name}` }
        }
      }
    }
  }
  const components = { ...openapiObject.components, headers: sharedHeaders, responses: { ...openapiObject.components?.responses, ...shared } }
  const withSharedResponses = { ...openapiObject, components: { ...components, schemas: usedSchemas([openapiObject.paths, components.responses], components.schemas ?? {}) } }
  return addAnswerExamples(addCommonAnswers(withSharedResponses)) as never
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

export interface SwaggerOptions {
  /**
   * The named response schemas of the routes (src/response-schemas.ts). Registered here, once, before
   * the routes: routes reference them as `{ $ref: 'Prisoner#' }`, Fastify serialises answers with them, and
   * @fastify/swagger lists them as `components/schemas/<$id>` (see refResolver below).
   */
  responseSchemas: { $id: string }[]
}

/** The OpenAPI document, generated from the routes' schemas, and Swagger UI at /docs. */
export default fp<SwaggerOptions>(
  async (app, { responseSchemas }) => {
    for (const schema of responseSchemas) app.addSchema(schema)
    // The routes are registered after this plugin, on the root instance: each is checked as it is added.
    app.addHook('onRoute', checkTagged)
    await app.register(swagger, {
      // A shared schema becomes the component named by its $id (the default would be def-0, def-1, ...).
      refResolver: { buildLocalReference: (json) => String(json.$id) },
      transform: tagByGroup,
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
        tags: OPERATION_GROUPS.map(({ name, description }) => ({ name, description })),
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
      uiConfig: {
        // The groups open, their operations closed: the ~30 summaries fit a few screens, read as a list of tasks.
        docExpansion: 'list',
        deepLinking: true,
        tryItOutEnabled: true,
        // The key stays in localStorage across reloads (until Logout): volunteers paste it once.
        persistAuthorization: true,
        displayRequestDuration: true,
        // No "Schemas" section at the bottom: ~40 data types that volunteers need not read (each operation still shows
        // its own under "Schema", beside the example), and /openapi.json has them all for programs.
        defaultModelsExpandDepth: -1,
        operationsSorter,
        // Replaces the page's default list ([DownloadUrl]), whose "Explore" box is hidden (THEME_CSS): not needed.
        plugins: [multilineFields] as never,
      },
      theme: {
        title: TITLE,
        css: [{ filename: 'registry.css', content: THEME_CSS }],
        favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: ICON }],
      },
      logo: { type: 'image/svg+xml', content: ICON },
      // Replaces the API's policy (security-headers.plugin.ts) on the pages and files of Swagger UI: everything
      // from this origin; no inline script (inline style only: its bundle injects a <style> element, as helmet's
      // defaults allow). Not upgrade-insecure-requests: served over plain HTTP (a local run, a LAN address), it
      // would turn every script and call of the page into an https one that fails.
      staticCSP: DOCS_CSP,
      // Its pages are documents: they carry the headers for documents too (security-headers.plugin.ts).
      uiHooks: {
        onRequest: (request, reply, done) => {
          reply.headers(DOCUMENT_HEADERS)
          dropDocsQuery(request, reply, done)
        },
      },
    })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'swagger' },
)
