import { PROBLEMS } from '../errors'

/** RFC 9457 problem details, as every error response carries them. */
export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json).',
  properties: {
    type: { type: 'string', description: 'Stable identifier of the problem, e.g. /problems/uncited-value' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'JSON Pointer into the body, or the parameter name' },
          message: { type: 'string' },
        },
      },
    },
  },
}

/** The error responses of a route, for its documentation: `problems(400, 404)`. */
export function problems(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((status) => {
      const titles = Object.entries(PROBLEMS)
        .filter(([, problem]) => problem.status === status)
        .map(([slug, problem]) => `\`${slug}\`: ${problem.title}`)
      return [status, { description: titles.join('; '), content: { 'application/problem+json': { schema: problemSchema } } }]
    }),
  )
}

export const etagHeader = { ETag: { type: 'string', description: 'Strong ETag; send it in If-Match to change the record' } }

export const cursorPage = (item: unknown) => ({
  type: 'object',
  properties: {
    data: { type: 'array', items: item },
    next: { type: ['string', 'null'], description: 'Pass as cursor to get the next page; null on the last page' },
  },
})
