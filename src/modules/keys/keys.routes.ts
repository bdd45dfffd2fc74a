import type { FastifyInstance } from 'fastify'
import { Role } from '../../db/entities/api-key.entity'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { IdParams } from '../../shared/paging.dto'
import { named, notModified, problems } from '../../shared/response-schemas'
import { CreateKeyDto} from './keys.dto'

/** Admins manage API keys. The secret of a key is shown once, in the answer that makes it. */
export default async function keysRoutes(app: FastifyInstance) {
  const admin = { onRequest: app.requireRole('admin') }
  const common = { tags: ['keys'], security: BEARER_SECURITY }

  app.get(
    '/v1/keys',
    { ...admin, schema: { ...common, summary: 'List API keys', operationId: 'listKeys', description: 'Every key ever made, with its holder, role and state. Secrets are never shown again.', response: { 200: named('KeyList', 'The keys'), ...notModified, ...problems(401, 403, 429) } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      return { data: await app.keys.list() }
    },
  )

  app.post<{ Body: CreateKeyDto }>(
    '/v1/keys',
    {
      ...admin,
      schema: {
        ...common,
        summary: 'Make an API key',
        operationId: 'createKey',
        description: 'Answers the key once, in `key`: give it to its holder; it cannot be shown again.',
        body: dtoSchema(CreateKeyDto),
        response: {
          201: named('NewKey', 'Made: its secret is in key', { Location: { type: 'string', description: 'The URL of the key' } }),
          ...problems(400, 401, 403, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body
      const key = await app.keys.create(name, role as Role, request.apiKey!.name)
      return reply.code(201).header('cache-control', 'no-store').header('location', `/v1/keys/${key.id}`).send(key)
    },
  )

  app.delete<{ Params: IdParams }>(
    '/v1/keys/:id',
    {
      ...admin,
      schema: { ...common, summary: 'Revoke an API key', operationId: 'revokeKey', description: 'The key stops working at once; its record stays.', params: dtoSchema(IdParams), response: { 200: named('Key', 'Revoked'), ...problems(400, 401, 403, 404, 429) } },
    },
    async (request) => app.keys.revoke(request.params.id),
  )
}
