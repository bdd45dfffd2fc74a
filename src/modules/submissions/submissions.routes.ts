import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { named, notModified, problems } from '../../shared/response-schemas'
import { SubmissionsService } from './submissions.service'

/** A volunteer follows what they submitted: records waiting for review, and proposed changes. */
export default async function submissionsRoutes(app: FastifyInstance) {
  const service = new SubmissionsService(app.db)

  app.get(
    '/v1/submissions',
    {
      onRequest: app.requireRole('volunteer'),
      schema: {
        tags: ['review'],
        summary: 'What I submitted, and where it stands',
        operationId: 'listSubmissions',
        security: BEARER_SECURITY,
        description:
          'The records and events you added and the changes you proposed with this key, newest first, each with its state: `pending` ' +
          "while it waits for an editor, then `published` or `approved`, or `rejected` with the editor's comment. Read a " +
          'record in full at `GET /v1/prisoners/{id}`, an event at `GET /v1/events/{id}` and a proposal at `GET /v1/proposals/{id}`, with your key.',
        response: { 200: named('Submissions', 'Your submissions'), ...notModified, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return service.of(request.apiKey!)
    },
  )
}
