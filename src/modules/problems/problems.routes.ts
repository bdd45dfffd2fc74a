import type { FastifyInstance } from 'fastify'
import { PROBLEMS, ProblemError, ProblemSlug, problemType } from '../../errors'

const catalogue = Object.entries(PROBLEMS).map(([slug, { status, title }]) => ({ type: problemType(slug as ProblemSlug), status, title }))

const entrySchema = {
  type: 'object',
  properties: { type: { type: 'string' }, status: { type: 'integer' }, title: { type: 'string' } },
}

/** Makes each problem `type` a URL that resolves: a client that meets one can look it up. */
export default async function problemsRoutes(app: FastifyInstance) {
  app.get(
    '/problems',
    {
      schema: {
        tags: ['meta'],
        summary: 'The catalogue of problem types',
        description: 'Every `type` an error response may carry, with its status and title. Clients branch on `type`.',
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: entrySchema } } } },
      },
    },
    async () => ({ data: catalogue }),
  )
  app.get(
    '/problems/:slug',
    {
      schema: {
        tags: ['meta'],
        summary: 'One problem type',
        description: 'What the `type` of an error response (e.g. `/problems/uncited-value`) means.',
        response: { 200: entrySchema },
      },
    },
    async (request) => {
      const { slug } = request.params as { slug: string }
      const entry = catalogue.find((problem) => problem.type === problemType(slug as ProblemSlug))
      if (!entry) throw new ProblemError('not-found', `No problem type ${slug}.`)
      return entry
    },
  )
}
