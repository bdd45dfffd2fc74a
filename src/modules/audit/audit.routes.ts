import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { problems } from '../../shared/response-schemas'
import { AuditService } from './audit.service'

const counts = (...keys: string[]) => ({ type: 'object', properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])) })

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
        description:
          "Recomputes each archived source's SHA-256 and compares it with the one recorded when it was archived; " +
          "re-reads every citation's quote at its offsets in the archived text; and looks for claims without a " +
          'citation. Reports the counts and each failure (the same check as `npm run audit`).',
        security: BEARER_SECURITY,
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              checkedAt: { type: 'string' },
              sources: counts('total', 'archived', 'altered'),
              citations: counts('total', 'checked', 'unverifiable', 'failed'),
              claims: counts('uncited'),
              failures: { type: 'array', items: { type: 'object', additionalProperties: true } },
              failuresTruncated: { type: 'boolean' },
              failuresHidden: { type: 'integer', description: 'Failures on records your key may not read: counted, not shown' },
            },
          },
          ...problems(401),
        },
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
        description: 'Published records, their non-null values, how many are cited (all of them, by invariant 1), and the fields where sources disagree.',
        response: {
          200: {
            type: 'object',
            properties: {
              records: { type: 'integer' },
              values: { type: 'integer' },
              citedValues: { type: 'integer' },
              fieldsWithDisagreements: { type: 'integer' },
              byField: { type: 'object', additionalProperties: counts('values', 'citedValues', 'withDisagreement') },
            },
          },
        },
      },
    },
    async () => service.coverage(),
  )
}
