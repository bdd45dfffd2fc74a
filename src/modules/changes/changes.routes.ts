import type { FastifyInstance } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { ChangesQuery } from './changes.dto'
import { ChangesService } from './changes.service'

export default async function changesRoutes(app: FastifyInstance) {
  const service = new ChangesService(app.db)

  app.get<{ Querystring: ChangesQuery }>(
    '/v1/changes',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every change, in order, field by field',
        operationId: 'listChanges',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'The change feed: each entry is one revision of one record (who, when, why, the review decision) with each ' +
          'changed field before and after and the citations added and removed. Start without `since`, then pass `next` ' +
          'to continue; poll with the last `next` (and its ETag: 304 when nothing is new). A mirror that applies, in ' +
          'order, each entry\'s `after` to its record, its `events` when not null (the record\'s events, an empty list for none), ' +
          'its `version`, `at` as `updatedAt` and `recordCreatedAt` as `createdAt`, and shows the records whose latest `state` is `published`, holds exactly what `GET /v1/prisoners` lists.',
        querystring: dtoSchema(ChangesQuery),
        response: { 200: named('ChangePage', 'A page of changes'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { since, limit } = request.query
      return service.page(since, limit)
    },
  )
}
