/** Response shape of the health check, registered once as a named schema (see src/shared/response-schemas.ts). */
export const healthSchema = {
  $id: 'Health',
  type: 'object',
  description: 'The API answers, its database answers a query and takes a test write.',
  additionalProperties: false,
  required: ['status', 'database', 'writes'],
  properties: { status: { type: 'string', enum: ['ok'] }, database: { type: 'string', enum: ['reachable'] }, writes: { type: 'string', enum: ['accepted'] } },
}

export const readinessSchema = {
  $id: 'Readiness',
  type: 'object',
  description: 'This instance takes requests: it is not shutting down, and its database answers a query.',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ready'] } },
}

export const HEALTH_SCHEMAS = [healthSchema, readinessSchema]
