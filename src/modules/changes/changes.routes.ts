import type { FastifyInstance } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { problems } from '../../shared/response-schemas'
import { ChangesQuery } from './changes.dto'
import { ChangesService } from './changes.service'

const fieldView = { type: ['object', 'null'], additionalProperties: true }

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer', description: 'Increases with every change across the registry' },
    recordId: { type: 'string', format: 'uuid' },
    version: { type: 'integer' },
    action: { type: 'string', enum: ['create', 'update', 'delete', 'restore', 'review'] },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['published', 'deleted', 'pending', 'rejected'], description: 'The record after the change' },
    recordCreatedAt: { type: 'string', format: 'date-time' },
    review: {
      type: ['object', 'null'],
      properties: { of: { type: 'string', enum: ['record', 'proposal'] }, decision: { type: 'string', enum: ['approved', 'rejected'] } },
    },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          before: fieldView,
          after: fieldView,
          citationsAdded: { type: 'array', items: { type: 'string' } },
          citationsRemoved: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

export default async function changesRoutes(app: FastifyInstance) {
  const service = new ChangesService(app.db)

  app.get(
    '/v1/changes',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every change, in order, field by field',
        description:
          'The change feed: each entry is one revision of one record (who, when, why, the review decision) with each ' +
          'changed field before and after and the citations added and removed. Start without `since`, then pass `next` ' +
          'to continue; poll with the last `next` (and its ETag: 304 when nothing is new). A mirror that applies, in ' +
          'order, each entry\'s `after` to its record, its `version`, `at` as `updatedAt` and `recordCreatedAt` as ' +
          '`createdAt`, and shows the records whose latest `state` is `published`, holds exactly what `GET /v1/prisoners` lists.',
        querystring: dtoSchema(ChangesQuery),
        response: {
          200: {
            type: 'object',
            properties: {
              data: { type: 'array', items: entrySchema },
              next: { type: 'string', description: 'Pass as since for the following changes' },
              hasMore: { type: 'boolean' },
            },
          },
          ...problems(400),
        },
      },
    },
    async (request) => {
      const { since, limit } = request.query as ChangesQuery
      return service.page(since, limit)
    },
  )
}
