import type { FastifyInstance, FastifyReply } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { ANY_REQUEST, NO_SECURITY, problems } from '../../shared/response-schemas'
import { ExportFormat, ExportQuery } from './export.dto'
import { EXPORT_CONTENT_TYPES, ExportSubject, exportFilename, exportStream } from './export.service'
import { EVENT_CSV_HEADERS } from './csv-event'
import { CSV_FIELD_PREFIXES, CSV_VALUE_HEADERS } from './csv-record'
import { baseUrl } from '../../plugins/record-reply'

/** What the description says of some value columns beyond their names. */
const VALUE_NOTES: Record<string, string> = {
  name_alternatives: ' (the other spellings, joined with ` | `)',
  sentence_charges: ' (joined with ` | `)',
  identifiers: ' (ids in other registries as `scheme:id`, joined with ` | `)',
  events: ' (the ids of the events the person took part in)',
}

const DESCRIPTION = [
  'Every published record, in id order, streamed (the download starts at once, whatever the size of the registry).',
  '',
  '**`format=ndjson`** (`application/x-ndjson`): one record per line, exactly as `GET /v1/prisoners/{id}` returns it, ' +
    'every claim and citation included. Use it for anything a program reads.',
  '',
  '**`format=csv`** (`text/csv; charset=utf-8`, RFC 4180, header row, CRLF, UTF-8 with a byte-order mark): one row per record.',
  `- Values: ${CSV_VALUE_HEADERS.map((header) => `\`${header}\`${VALUE_NOTES[header] ?? ''}`).join(', ')}. An empty cell is a null value.`,
  `- Evidence, field by field (${CSV_FIELD_PREFIXES.map((prefix) => `\`${prefix}\``).join(', ')}): ` +
    '`<field>_citations` cites the value; `<field>_alternatives` (except the name, whose alternatives are above) holds the ' +
    'values other sources give, strings as they are and objects as compact JSON, joined with ` | `; ' +
    '`<field>_alternatives_citations` cites each alternative in the same order, one group per alternative, groups joined with ` || `.',
  '- A citation reads `sourceId[start:end] "quote"`: the source, the code-point offsets of the quote in its archived text ' +
    '(`[]` when the source has no archived text) and the quote as a JSON string; a note follows as ` note "…"`. ' +
    'Citations are joined with ` | `.',
  "- Formula injection: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (`'`), " +
    'and so does a cell that starts with an apostrophe: drop one leading apostrophe to recover the exact value.',
  '',
  '**`format=jsonld`** (`application/ld+json`): one schema.org JSON-LD document whose `@graph` holds every record as ' +
    '`Accept: application/ld+json` answers it (a `Person`, each cited value a `Claim` with its citations).',
  '',
  'Cacheable for 5 minutes. Saved as `prisoners-<date>.csv`, `.ndjson` or `.jsonld`.',
].join('\n')

const EVENTS_DESCRIPTION = [
  'Every published event (releases, transfers, trials…), in id order, from one snapshot of the registry.',
  '',
  '**`format=ndjson`**: one event per line, exactly as `GET /v1/events/{id}` returns it (fields with citations and alternatives, ' +
    'participants, the comparison).',
  '',
  `**\`format=csv\`**: one row per event, by the rules of \`GET /v1/export\` (citations, quoting, formula injection). Columns: ${EVENT_CSV_HEADERS.map((h) => `\`${h}\``).join(', ')}. ` +
    '`composition` reads `BY:5 | PL:3`; `participants` holds the ids of the published records linked to the event, joined with ` | `.',
  '',
  '**`format=jsonld`**: one schema.org JSON-LD document, each event an `Event` in its `@graph`.',
  '',
  'Cacheable for 5 minutes. Saved as `events-<date>.csv`, `.ndjson` or `.jsonld`.',
].join('\n')

const exportBody = (description: string) => ({ schema: { type: 'string', description } })

/** The 200 of an export: a download of either format. */
const exportResponse = (subject: ExportSubject, what: string) => ({
  description: `${what}, streamed as an attachment`,
  headers: {
    'Content-Disposition': { type: 'string', description: `attachment; filename="${subject}-<date>.<format>"` },
    'Cache-Control': { type: 'string', description: 'public, max-age=300' },
  },
  content: {
    'text/csv': exportBody(`One row per ${subject === 'events' ? 'event' : 'record'}; see the description for the columns`),
    'application/x-ndjson': exportBody(`One ${subject === 'events' ? 'event' : 'record'} document per line`),
    'application/ld+json': {
      schema: {
        type: 'object',
        required: ['@context', '@graph'],
        description: `One schema.org JSON-LD document, each ${subject === 'events' ? 'event an Event' : 'record a Person'} in its @graph`,
      },
    },
  },
})

export default async function exportRoutes(app: FastifyInstance) {
  const send = (reply: FastifyReply, format: ExportFormat, subject: ExportSubject) =>
    reply
      .header('content-type', EXPORT_CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="${exportFilename(format, new Date(), subject)}"`)
      .header('cache-control', 'public, max-age=300')
      .send(exportStream(app.db, format, subject, baseUrl(reply.request)))

  app.get<{ Querystring: ExportQuery }>(
    '/v1/export',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Export every record (CSV, NDJSON or JSON-LD)',
        operationId: 'exportPrisoners',
        security: NO_SECURITY,
        description: DESCRIPTION,
        querystring: dtoSchema(ExportQuery),
        response: { 200: exportResponse('prisoners', 'The whole registry'), ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => send(reply, request.query.format, 'prisoners'),
  )

  app.get<{ Querystring: ExportQuery }>(
    '/v1/export/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Export every event (CSV, NDJSON or JSON-LD)',
        operationId: 'exportEvents',
        security: NO_SECURITY,
        description: EVENTS_DESCRIPTION,
        querystring: dtoSchema(ExportQuery),
        response: { 200: exportResponse('events', 'Every published event'), ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => send(reply, request.query.format, 'events'),
  )
}
