import { CLAIM_RANKS } from '../../db/entities/claim.entity'
import { PRISONER_FIELDS } from '../../core/document/fields'
import { ref } from '../../shared/response-schemas'
import { fieldClaimsSchemaOf } from '../../shared/subject-schemas'

/** Response shapes of the claims routes, registered once as named schemas (see src/shared/response-schemas.ts). */
export const claimSchema = {
  $id: 'Claim',
  type: 'object',
  description: 'One value a source gave for a field, how it is ranked and why, with its citations.',
  additionalProperties: false,
  required: ['id', 'value', 'rank', 'reason', 'introducedIn', 'createdAt', 'citations'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    value: { description: 'The value claimed (its type is the field\'s)' },
    rank: { type: 'string', enum: [...CLAIM_RANKS] },
    reason: { type: ['string', 'null'], description: 'Why an editor ranked it so, or why it was superseded' },
    introducedIn: { type: ['integer', 'null'], description: 'The version whose revision introduced it (see the history)' },
    createdAt: { type: 'string', format: 'date-time' },
    citations: { type: 'array', items: ref('Citation') },
  },
}

export const fieldClaimsSchema = fieldClaimsSchemaOf('FieldClaims', PRISONER_FIELDS, true)

export const CLAIM_SCHEMAS = [claimSchema, fieldClaimsSchema]
