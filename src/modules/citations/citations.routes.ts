import type { FastifyInstance } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { IdParams } from '../../shared/paging.dto'
import { cursorPage, problems } from '../../shared/response-schemas'
import { SourceCitationsQuery } from './citations.dto'
import { CitationsService } from './citations.service'

const contextSchema = {
  type: ['object', 'null'],
  description: 'The archived words at the offsets, with the text around them; null when the source has no archived text',
  properties: { before: { type: 'string' }, quote: { type: 'string' }, after: { type: 'string' } },
}
const nullableString = { type: ['string', 'null'] }

const traceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    quote: { type: 'string' },
    start: { type: ['integer', 'null'] },
    end: { type: ['integer', 'null'] },
    note: nullableString,
    context: contextSchema,
    source: {
      type: 'object',
      properties: { id: { type: 'string' }, title: { type: 'string' }, publisher: nullableString, url: nullableString, hasContent: { type: 'boolean' } },
    },
    claim: {
      type: 'object',
      properties: { id: { type: 'string' }, recordId: { type: 'string' }, field: { type: 'string' }, value: {}, rank: { type: 'string' }, reason: nullableString },
    },
    introducedBy: {
      type: ['object', 'null'],
      description: 'The revision that introduced the claim: who, when, why',
      properties: { version: { type: 'integer' }, action: { type: 'string' }, actor: { type: 'string' }, at: { type: 'string' }, comment: nullableString },
    },
  },
}

const sourceCitationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    recordId: { type: 'string' },
    claimId: { type: 'string' },
    field: { type: 'string' },
    value: {},
    rank: { type: 'string' },
    quote: { type: 'string' },
    start: { type: ['integer', 'null'] },
    end: { type: ['integer', 'null'] },
    context: contextSchema,
  },
}

export default async function citationsRoutes(app: FastifyInstance) {
  const service = new CitationsService(app.db)

  app.get(
    '/v1/citations/:id',
    {
      schema: {
        tags: ['audit'],
        summary: 'Follow a citation to its words and its origin',
        description:
          "Take any citation id from a record: this shows the source, the archived words at the citation's offsets " +
          'with the text around them, the claim it supports, and the revision (who, when, why) that introduced it.',
        params: dtoSchema(IdParams),
        response: { 200: traceSchema, ...problems(400, 404) },
      },
    },
    async (request) => service.trace((request.params as IdParams).id, request.apiKey),
  )

  app.get(
    '/v1/sources/:id/citations',
    {
      schema: {
        tags: ['sources'],
        summary: 'Everything that cites a source',
        description: 'Every citation pointing into the source, in the order of its text, with the record, field and value it supports and its context.',
        params: dtoSchema(IdParams),
        querystring: dtoSchema(SourceCitationsQuery),
        response: { 200: cursorPage(sourceCitationSchema), ...problems(400, 404) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query as SourceCitationsQuery
      return service.bySource((request.params as IdParams).id, request.apiKey, limit, cursor)
    },
  )
}
