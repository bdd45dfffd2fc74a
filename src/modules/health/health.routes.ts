import type { FastifyInstance } from 'fastify'
import { sendProblem } from '../../plugins/problem-details.plugin'
import { problems } from '../../shared/response-schemas'

export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness and database reachability',
        description: 'For load balancers and uptime checks: 200 when the API answers and its database does, 503 otherwise.',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          ...problems(503),
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      if (await app.db.ping()) return { status: 'ok', database: 'reachable' }
      return sendProblem(request, reply, 'unavailable', 'The API is up but its database does not answer.')
    },
  )
}
