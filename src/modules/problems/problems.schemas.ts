import { listSchema } from '../../shared/response-schemas'

/** Response shapes of the problem catalogue, registered once as named schemas (see src/shared/response-schemas.ts). */
export const problemTypeSchema = {
  $id: 'ProblemType',
  type: 'object',
  description: 'One `type` an error response may carry.',
  additionalProperties: false,
  required: ['type', 'status', 'title'],
  properties: { type: { type: 'string' }, status: { type: 'integer' }, title: { type: 'string' } },
}

export const PROBLEM_TYPE_SCHEMAS = [problemTypeSchema, listSchema('ProblemTypeList', 'ProblemType', 'Every problem type.')]
