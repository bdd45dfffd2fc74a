import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { ProblemError } from '../../errors'
import { DOCUMENT_SCHEMAS } from './document-schemas'

/**
 * Stored = served (docs/design.md §2, invariant 9): a record's documents are served as they are stored, so each
 * is checked against the response schema the routes serve it with before it is stored. What the contract
 * refuses would otherwise be stored and then fail every read that serialises it (a null `termMonths` once made
 * GET /v1/review answer 500 to every editor).
 */

let compiled: ValidateFunction | undefined

/** The Prisoner schema compiled once, with the schemas it refers to, as Fastify's Ajv reads them. */
function prisonerCheck(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, keywords: ['example'] })
    addFormats(ajv)
    for (const schema of DOCUMENT_SCHEMAS) ajv.addSchema(schema)
    compiled = ajv.getSchema('Prisoner') as ValidateFunction
  }
  return compiled
}

/** What the contract refuses in `document`: each as a JSON Pointer (into the write's body, which has the same shape) and why. */
export function documentErrors(document: unknown): { path: string; message: string }[] {
  const check = prisonerCheck()
  if (check(document)) return []
  return (check.errors ?? []).map(({ instancePath, message, params }) => {
    const extra = 'additionalProperty' in params ? `/${String(params.additionalProperty)}` : ''
    return { path: `${instancePath}${extra}` || '/', message: `${message ?? 'is not allowed'} (the record's response schema, which reads would fail)` }
  })
}

/** Refuses, as a 422 naming each path, a document the response schema would refuse: nothing is stored. */
export function requireServable(document: unknown): void {
  const errors = documentErrors(document)
  if (errors.length === 0) return
  throw new ProblemError(
    'validation-failed',
    `The record would be stored in a shape its readers could not be served: ${errors.map(({ path, message }) => `${path} ${message}`).join('; ')}.`,
    errors,
  )
}
