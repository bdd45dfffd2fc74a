import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { IsString, Matches } from 'class-validator'
import { ProblemError } from '../../errors'
import { dtoSchema } from '../../shared/dto'
import { NO_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { REGISTRY_PERSON_SOURCE } from './registry-person.script'

const BODY = Buffer.from(REGISTRY_PERSON_SOURCE, 'utf8')
/** The file's name carries its content's hash: a new version is a new URL, so the old one may be cached for good. */
const HASH = createHash('sha256').update(BODY).digest('hex').slice(0, 16)
export const EMBED_SCRIPT_PATH = `/v1/embed/registry-person-${HASH}.js`
/** Subresource Integrity: the page's <script integrity> makes the browser refuse any other bytes. */
export const EMBED_INTEGRITY = `sha384-${createHash('sha384').update(BODY).digest('base64')}`

class EmbedFileParams {
  @IsString()
  @Matches(/^registry-person(-[0-9a-f]{16})?\.js$/, { message: 'file must be registry-person.js or registry-person-<hash>.js' })
  file: string
}

/**
 * The embeddable card: one dependency-free script (registry-person.script.ts) under a versioned URL, cached
 * for a year and immutable, and a small JSON that names that URL and its SRI hash for sites to copy.
 */
export default async function embedRoutes(app: FastifyInstance) {
  app.get(
    '/v1/embed/registry-person.json',
    {
      schema: {
        tags: ['embed'],
        summary: 'How to put a record on a page',
        operationId: 'getEmbedManifest',
        security: NO_SECURITY,
        description:
          'The URL of the card script under its content hash, its Subresource Integrity hash, and a snippet to paste: ' +
          '`<script src integrity crossorigin>` and `<registry-person record-id="…" lang="be">` (en, be, ru, pl, lt).',
        response: {
          200: named('EmbedManifest', 'The script and how to use it'),
          ...notModified,
          ...problems(401, 429),
        },
      },
    },
    async (request, reply) => {
      const script = `${request.protocol}://${request.host}${EMBED_SCRIPT_PATH}`
      reply.header('cache-control', 'public, max-age=300')
      return {
        element: 'registry-person',
        script,
        integrity: EMBED_INTEGRITY,
        languages: ['en', 'be', 'ru', 'pl', 'lt'],
        snippet: `<script src="${script}" integrity="${EMBED_INTEGRITY}" crossorigin="anonymous" defer></script>\n<registry-person record-id="RECORD-ID" lang="en"></registry-person>`,
      }
    },
  )

  app.get<{ Params: EmbedFileParams }>(
    '/v1/embed/:file',
    {
      schema: {
        tags: ['embed'],
        summary: 'The card script',
        operationId: 'getEmbedScript',
        security: NO_SECURITY,
        description:
          'The <registry-person> web component. Under its hashed name (see `GET /v1/embed/registry-person.json`) it is ' +
          'cached for a year as immutable; `registry-person.js` is always the latest, cached five minutes (no SRI possible).',
        params: dtoSchema(EmbedFileParams),
        response: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } }, ...notModified, ...problems(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const { file } = request.params
      const versioned = file !== 'registry-person.js'
      if (versioned && `/v1/embed/${file}` !== EMBED_SCRIPT_PATH) {
        throw new ProblemError('not-found', `No such version of the card; the current one is ${EMBED_SCRIPT_PATH}.`)
      }
      reply.header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      return reply.type('text/javascript; charset=utf-8').send(BODY)
    },
  )
}
