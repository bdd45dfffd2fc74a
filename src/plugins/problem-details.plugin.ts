import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { FieldError, PROBLEMS, ProblemError, ProblemSlug, problemType } from '../errors'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

// Fastify's own errors (body parsing, routing) and the problem each one is to a client.
const FASTIFY_ERRORS: Record<string, ProblemSlug> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_NOT_FOUND: 'not-found',
  FST_ERR_VALIDATION: 'invalid-request',
  FST_ERR_BAD_URL: 'invalid-request',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid-request',
}

function asProblem(error: FastifyError): ProblemError {
  if (error instanceof ProblemError) return error
  const slug = FASTIFY_ERRORS[error.code]
  if (slug) return new ProblemError(slug, error.message)
  if (error.statusCode === 429) return new ProblemError('rate-limited', error.message)
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ProblemError('invalid-request', error.message)
  }
  return new ProblemError('internal', 'The request could not be completed. It has been logged; nothing was changed.')
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  slug: ProblemSlug,
  detail: string,
  errors?: FieldError[],
) {
  const { status, title } = PROBLEMS[slug]
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ type: problemType(slug), title, status, detail, instance: request.url, ...(errors ? { errors } : {}) })
}

/** Fastify's `frameworkErrors` option: errors raised before routing (a malformed URL) as problems too. */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = asProblem(error)
  return sendProblem(request, reply, problem.slug, problem.detail, problem.errors)
}

/**
 * Every error leaves as RFC 9457 problem details from here, and only from here.
 * Unexpected errors are logged with their stack; the client gets a plain 500 without one.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = asProblem(error)
      if (problem.slug === 'internal') request.log.error({ err: error }, 'unexpected error')
      reply.headers(problem.headers)
      return sendProblem(request, reply, problem.slug, problem.detail, problem.errors)
    })
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 'not-found', `Nothing at ${request.method} ${request.url.split('?')[0]}.`),
    )
  },
  { name: 'problem-details' },
)
