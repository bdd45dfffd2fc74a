import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { AuditService } from './audit.service'

export default async function auditRoutes(app: FastifyInstance) {
  const service = new AuditService(app.db)

  app.get(
    '/v1/audit/verify',
    {
      // It reads every citation: open to any key holder, not to anonymous traffic.
      onRequest: app.requireRole('volunteer'),
      schema: {
        tags: ['audit'],
        summary: 'Re-verify the archive and every citation',
        operationId: 'verifyArchive',
        description:
          "Recomputes each archived source's SHA-256 and compares it with the one recorded when it was archived; " +
          "re-reads every citation's quote at its offsets in the archived text; and looks for claims without a " +
          'citation. Reports the counts and each failure (the same check as `npm run audit`).',
        security: BEARER_SECURITY,
        response: { 200: named('AuditReport', 'The report'), ...notModified, ...problems(401, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return service.verifyFor(request.apiKey)
    },
  )

  app.get(
    '/v1/audit/coverage',
    {
      schema: {
        tags: ['audit'],
        summary: 'How much of what is published is cited',
        operationId: 'getCoverage',
        security: OPTIONAL_BEARER_SECURITY,
        description: 'Published records, their non-null values, how many are cited (all of them, by invariant 1), and the fields where sources disagree.',
        response: { 200: named('Coverage', 'The coverage'), ...notModified, ...problems(...ANY_REQUEST) },
      },
    },
    async () => service.coverage(),
  )
}
