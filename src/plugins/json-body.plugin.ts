import fp from 'fastify-plugin'
import { parse } from 'secure-json-parse'
import { ProblemError } from '../errors'

/**
 * Request bodies are JSON, and only JSON (a text/plain body gets 415 rather than reaching a DTO as a string).
 * Parsed here rather than by Fastify's default parser, which reports every failure as "not valid JSON":
 * a body that is valid JSON but has a "__proto__" or "constructor" key (refused, as it could reach the
 * prototype of objects) is told so, like any other field that no request has.
 */
/** Line and column (from 1) of a character position in `text`. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n')
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

/**
 * What is wrong with a body that is not JSON, in words a person who pasted an article can act on: where it
 * is (line and column), and for the mistake volunteers make most, a line break pasted inside a text, how to
 * write it, or that the form takes the text as it is.
 */
function whatIsWrong(body: string, parserMessage: string): string {
  const position = Number(/at position (\d+)/.exec(parserMessage)?.[1])
  if (/end of JSON input/.test(parserMessage) || position >= body.trimEnd().length) {
    return 'The body is not valid JSON: it ends too early (a closing " } or ] is missing, or the last field).'
  }
  if (Number.isNaN(position)) return `The body is not valid JSON: ${parserMessage}.`
  const { line, column } = lineAndColumn(body, position)
  const at = `line ${line}, column ${column}`
  const character = body[position]
  if (/Bad control character/.test(parserMessage)) {
    const what = character === '\n' || character === '\r' ? 'a line break' : character === '\t' ? 'a tab' : 'a control character'
    return (
      `The body is not valid JSON: ${what} inside a text at ${at}. In JSON a text stays on one line: write a line break ` +
      'as \\n (and a tab as \\t), or send the text through the form (multipart/form-data), which takes it as it is.'
    )
  }
  return `The body is not valid JSON at ${at} (near ${body.slice(Math.max(0, position - 15), position + 15).replace(/\s+/g, ' ')}): ${parserMessage.replace(/ in JSON at position \d+.*$/, '')}.`
}

export default fp(
  async (app) => {
    app.removeContentTypeParser(['application/json', 'text/plain'])
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      // An empty body is no body: request-body.plugin.ts says what the operation needs, when it needs one.
      if (body === '') return done(null, undefined)
      try {
        done(null, parse(body as string, { protoAction: 'error', constructorAction: 'error' }))
      } catch (error) {
        const poisoned = error instanceof SyntaxError && /prototype property/.test(error.message)
        done(
          poisoned
            ? new ProblemError('validation-failed', 'The body has a "__proto__" or "constructor" key, which is not a field of any request.', [
                { path: '', message: 'remove the "__proto__" or "constructor" key' },
              ])
            : new ProblemError('malformed-json', whatIsWrong(body as string, (error as Error).message)),
          undefined,
        )
      }
    })
  },
  { name: 'json-body' },
)
