import { linkNext } from '../../shared/link-header'
import type { FastifyInstance } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { IdParams } from '../../shared/paging.dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { SourceCitationsQuery } from './citations.dto'
import { CitationsService } from './citations.service'

export default async function citationsRoutes(app: FastifyInstance) {
  const service = new CitationsService(app.db)

  app.get<{ Params: IdParams }>(
    '/v1/citations/:id',
    {
      schema: {
        tags: ['audit'],
        summary: 'Follow a citation to its words and its origin',
        operationId: 'getCitation',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          "Take any citation id from a record: this shows the source, the archived words at the citation's offsets " +
          'with the text around them, the claim it supports, and the revision (who, when, why) that introduced it.',
        params: dtoSchema(IdParams),
        response: { 200: named('CitationTrace', 'The citation, traced'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => service.trace(request.params.id, request.apiKey),
  )

  app.get<{ Params: IdParams; Querystring: SourceCitationsQuery }>(
    '/v1/sources/:id/citations',
    {
      schema: {
        tags: ['sources'],
        summary: 'Everything that cites a source',
        operationId: 'listSourceCitations',
        security: OPTIONAL_BEARER_SECURITY,
        description: 'Every citation pointing into the source, in the order of its text, with the record, field and value it supports and its context.',
        params: dtoSchema(IdParams),
        querystring: dtoSchema(SourceCitationsQuery),
        response: { 200: named('SourceCitationPage', 'A page of its citations'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const { limit, cursor } = request.query
      return linkNext(reply, await service.bySource(request.params.id, request.apiKey, limit, cursor))
    },
  )
}
