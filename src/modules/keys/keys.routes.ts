import type { FastifyInstance } from 'fastify'
import { Role } from '../../db/entities/api-key.entity'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { IdParams } from '../../shared/paging.dto'
import { problems } from '../../shared/response-schemas'
import { CreateKeyDto} from './keys.dto'

const keySchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    role: { type: 'string' },
    prefix: { type: 'string', description: 'The first characters of the key, to tell keys apart' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    revokedAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'], description: 'To the minute' },
  },
}

/** Admins manage API keys. The secret of a key is shown once, in the answer that makes it. */
export default async function keysRoutes(app: FastifyInstance) {
  const admin = { onRequest: app.requireRole('admin') }
  const common = { tags: ['keys'], security: BEARER_SECURITY }

  app.get(
    '/v1/keys',
    { ...admin, schema: { ...common, summary: 'List API keys', description: 'Every key ever made, with its holder, role and state. Secrets are never shown again.', response: { 200: { type: 'object', properties: { data: { type: 'array', items: keySchema } } }, ...problems(401, 403) } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      return { data: app.keys.list() }
    },
  )

  app.post(
    '/v1/keys',
    {
      ...admin,
      schema: {
        ...common,
        summary: 'Make an API key',
        description: 'Answers the key once, in `key`: give it to its holder; it cannot be shown again.',
        body: dtoSchema(CreateKeyDto),
        response: {
          201: { ...keySchema, properties: { ...keySchema.properties, key: { type: 'string', description: 'The secret: shown only now' } } },
          ...problems(401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body as CreateKeyDto
      const key = await app.keys.create(name, role as Role, request.apiKey!.name)
      return reply.code(201).header('cache-control', 'no-store').header('location', `/v1/keys/${key.id}`).send(key)
    },
  )

  app.delete(
    '/v1/keys/:id',
    {
      ...admin,
      schema: { ...common, summary: 'Revoke an API key', description: 'The key stops working at once; its record stays.', params: dtoSchema(IdParams), response: { 200: keySchema, ...problems(401, 403, 404) } },
    },
    async (request) => app.keys.revoke((request.params as IdParams).id),
  )
}
