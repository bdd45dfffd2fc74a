import type { FastifyInstance } from 'fastify'
import { PROBLEMS, ProblemError, ProblemSlug, problemType } from '../../errors'
import { ANY_REQUEST, NO_SECURITY, named, notModified, problems } from '../../shared/response-schemas'

const catalogue = Object.entries(PROBLEMS).map(([slug, { status, title }]) => ({ type: problemType(slug as ProblemSlug), status, title }))

/** Makes each problem `type` a URL that resolves: a client that meets one can look it up. */
export default async function problemsRoutes(app: FastifyInstance) {
  app.get(
    '/problems',
    {
      schema: {
        tags: ['meta'],
        summary: 'The catalogue of problem types',
        operationId: 'listProblemTypes',
        security: NO_SECURITY,
        description: 'Every `type` an error response may carry, with its status and title. Clients branch on `type`.',
        response: { 200: named('ProblemTypeList', 'The catalogue'), ...notModified, ...problems(...ANY_REQUEST) },
      },
    },
    async () => ({ data: catalogue }),
  )
  app.get<{ Params: { slug: string } }>(
    '/problems/:slug',
    {
      schema: {
        tags: ['meta'],
        summary: 'One problem type',
        operationId: 'getProblemType',
        security: NO_SECURITY,
        description: 'What the `type` of an error response (e.g. `/problems/uncited-value`) means.',
        response: { 200: named('ProblemType', 'The problem type'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { slug } = request.params
      const entry = catalogue.find((problem) => problem.type === problemType(slug as ProblemSlug))
      if (!entry) throw new ProblemError('not-found', `No problem type ${slug}.`)
      return entry
    },
  )
}
