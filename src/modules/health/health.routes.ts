import type { FastifyInstance } from 'fastify'
import { sendProblem } from '../../plugins/problem-details.plugin'
import { ANY_REQUEST, NO_SECURITY, named, notModified, problems } from '../../shared/response-schemas'

export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness, and whether the database answers reads and takes writes',
        operationId: 'getHealth',
        security: NO_SECURITY,
        description:
          'For load balancers and uptime checks: 200 when the API answers, its database answers a query and takes a test write; ' +
          '503 otherwise, saying which (a full disk, a read-only file, a lock another process holds).',
        response: { 200: named('Health', 'Up, the database reachable and writable'), ...notModified, ...problems(...ANY_REQUEST, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      if (!(await app.db.ping())) return sendProblem(request, reply, 'unavailable', 'The API is up but its database does not answer.')
      const writes = await app.db.writeHealth()
      if (!writes.writable) {
        return sendProblem(request, reply, 'storage-unavailable', `The database answers reads but cannot take writes: ${writes.reason}`)
      }
      return { status: 'ok', database: 'reachable', writes: 'accepted' }
    },
  )
}
