import { ANSWER_EXAMPLES } from '../shared/answer-examples'

type Response = { content?: Record<string, { example?: unknown }> }
type OpenApiDocument = { paths?: Record<string, Record<string, { operationId?: string; responses?: Record<string, Response> }>> }

/**
 * The seeded registry's answers (src/shared/answer-examples.ts) as the examples of the 200s of the main reads,
 * by operationId: Swagger UI shows them under "Example Value" instead of one made up from the schema.
 */
export function addAnswerExamples(generated: object): object {
  const document = generated as OpenApiDocument
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const example = ANSWER_EXAMPLES[operation.operationId ?? '']
      const json = operation.responses?.['200']?.content?.['application/json']
      if (example !== undefined && json) json.example = example
    }
  }
  return document
}
