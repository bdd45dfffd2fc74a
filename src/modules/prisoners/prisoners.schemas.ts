import { PRISONER_FIELDS } from '../../core/record/fields'

/** Response shapes of the prisoners routes, for the OpenAPI document (reads are served pre-serialised). */
export const citationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    sourceId: { type: 'string', format: 'uuid' },
    quote: { type: 'string', description: "The source's exact words" },
    start: { type: ['integer', 'null'], description: "Offset of the quote in the source's archived text, in Unicode code points; null when the source has none" },
    end: { type: ['integer', 'null'] },
    note: { type: 'string' },
  },
}

const fieldSchema = {
  type: 'object',
  properties: {
    value: { description: 'The preferred value; null when unknown' },
    claimId: { type: ['string', 'null'], description: 'The claim that holds the preferred value' },
    citations: { type: 'array', items: citationSchema },
    alternatives: {
      type: 'array',
      description: 'What other sources say, each with its own citations',
      items: {
        type: 'object',
        properties: { claimId: { type: 'string' }, value: {}, rank: { type: 'string' }, citations: { type: 'array', items: citationSchema } },
      },
    },
  },
}

export const prisonerSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    version: { type: 'integer' },
    ...Object.fromEntries(PRISONER_FIELDS.map((field) => [field, fieldSchema])),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
}

export const searchResultSchema = {
  ...prisonerSchema,
  properties: {
    match: {
      type: 'object',
      description: 'Present with q: the name claim that matched, and whether it has the same spelling as q',
      properties: { claimId: { type: 'string' }, value: { type: 'string' }, rank: { type: 'string' }, sameSpelling: { type: 'boolean' } },
    },
    ...prisonerSchema.properties,
  },
}

export const revisionSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    action: { type: 'string', enum: ['create', 'update', 'delete', 'restore', 'review'] },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    changes: {
      type: 'object',
      description: 'For each changed field: its value and citations before and after',
      additionalProperties: { type: 'object', properties: { before: {}, after: {} } },
    },
  },
}

export const proposalSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    prisonerId: { type: 'string', format: 'uuid' },
    baseVersion: { type: 'integer', description: 'The version of the record the proposal was made on' },
    fields: { type: 'object', additionalProperties: true, description: 'The proposed fields, with their checked citations' },
    comment: { type: ['string', 'null'] },
    proposedBy: { type: 'string' },
    proposedAt: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'approved', 'rejected'] },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'] },
    decisionComment: { type: ['string', 'null'] },
  },
}
