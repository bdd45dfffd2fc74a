import { ROLES } from '../../db/entities/api-key.entity'
import { listSchema } from '../../shared/response-schemas'

/** Response shapes of the keys routes, registered once as named schemas (see src/shared/response-schemas.ts). */
const keyProperties = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  role: { type: 'string', enum: [...ROLES] },
  prefix: { type: 'string', description: 'The first characters of the key, to tell keys apart' },
  createdBy: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  revokedAt: { type: ['string', 'null'], format: 'date-time' },
  lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'To the minute' },
}

export const keySchema = {
  $id: 'Key',
  type: 'object',
  description: 'An API key: its holder, role and state. The secret is never shown again.',
  additionalProperties: false,
  required: Object.keys(keyProperties),
  properties: keyProperties,
}

export const newKeySchema = {
  $id: 'NewKey',
  type: 'object',
  description: 'A key just made, with its secret: shown only in this answer.',
  additionalProperties: false,
  required: [...Object.keys(keyProperties), 'key'],
  properties: { ...keyProperties, key: { type: 'string', description: 'The secret: shown only now' } },
}

export const KEY_SCHEMAS = [keySchema, newKeySchema, listSchema('KeyList', 'Key', 'Every key ever made.')]
