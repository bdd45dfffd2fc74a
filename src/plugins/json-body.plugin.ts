import fp from 'fastify-plugin'
import { parse } from 'secure-json-parse'
import { ProblemError } from '../errors'

/**
 * Request bodies are JSON, and only JSON (a text/plain body gets 415 rather than reaching a DTO as a string).
 * Parsed here rather than by Fastify's default parser, which reports every failure as "not valid JSON":
 * a body that is valid JSON but has a "__proto__" or "constructor" key (refused, as it could reach the
 * prototype of objects) is told so, like any other field that no request has.
 */
export default fp(
  async (app) => {
    app.removeContentTypeParser(['application/json', 'text/plain'])
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      if (body === '') return done(new ProblemError('malformed-json', 'The body is empty: send a JSON object.'), undefined)
      try {
        done(null, parse(body as string, { protoAction: 'error', constructorAction: 'error' }))
      } catch (error) {
        const poisoned = error instanceof SyntaxError && /prototype property/.test(error.message)
        done(
          poisoned
            ? new ProblemError('validation-failed', 'The body has a "__proto__" or "constructor" key, which is not a field of any request.', [
                { path: '', message: 'remove the "__proto__" or "constructor" key' },
              ])
            : new ProblemError('malformed-json', `The body is not valid JSON: ${(error as Error).message}.`),
          undefined,
        )
      }
    })
  },
  { name: 'json-body' },
)
