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
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['meta'],
        summary: 'Readiness, for a load balancer: whether to send this instance requests',
        operationId: 'getReadiness',
        security: NO_SECURITY,
        description:
          'For the load balancer in front of several instances: 200 when this instance takes requests and its database answers a query; ' +
          '503 when the database does not answer or the instance is shutting down (it finishes the requests it has, and takes no new ones). ' +
          'Unlike /health it writes nothing, so it can be polled every second.',
        response: { 200: named('Readiness', 'Ready for requests'), ...notModified, ...problems(...ANY_REQUEST, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      if (!(await app.db.ping())) return sendProblem(request, reply, 'unavailable', 'This instance is up but its database does not answer.')
      return { status: 'ready' }
    },
  )
}
