import { ACTOR, nullable, ref } from './response-schemas'

/*
 * Response schema builders that records and events share (each names its own schemas with them): a field's claims,
 * a change of it in a feed, a diff in a revision, a proposal. They need nothing of the app. A cited field's own
 * shape (`fieldSchema`) is the stored document's: core/record/document-schemas.ts.
 */

/** One field as a change left it, of a record (`FieldChange`) or of an event (`EventFieldChange`). */
export const fieldChangeSchemaOf = ($id: string, fields: readonly string[], of: string) => ({
  $id,
  type: 'object',
  description: 'One field as a change left it: before and after, and the citations added and removed.',
  additionalProperties: false,
  required: ['field', 'before', 'after', 'citationsAdded', 'citationsRemoved'],
  properties: {
    field: { type: 'string', enum: [...fields] },
    before: nullable(ref('Field'), `null when the change created the field, or published the ${of}`),
    after: ref('Field'),
    citationsAdded: { type: 'array', items: { type: 'string', format: 'uuid' } },
    citationsRemoved: { type: 'array', items: { type: 'string', format: 'uuid' } },
  },
})

/** A page of a change feed (the records' or the events'), continued with `since=next`. */
export const feedPageSchema = ($id: string, item: string, description: string) => ({
  $id,
  type: 'object',
  description,
  additionalProperties: false,
  required: ['data', 'next', 'hasMore'],
  properties: {
    data: { type: 'array', items: ref(item) },
    next: { type: 'string', description: 'Pass as since for the following changes' },
    hasMore: { type: 'boolean' },
  },
})

/** Every claim of one field, of a record (`FieldClaims`) or of an event (`EventFieldClaims`, never withheld). */
export const fieldClaimsSchemaOf = ($id: string, fields: readonly string[], withheld: boolean) => ({
  $id,
  type: 'object',
  description: 'Every claim of one field: the preferred one, the alternatives and the deprecated ones.',
  additionalProperties: false,
  required: ['field', 'claims'],
  properties: {
    field: { type: 'string', enum: [...fields] },
    claims: { type: 'array', items: ref('Claim'), ...(withheld ? { description: 'None when the field is withheld, except to editors' } : {}) },
    ...(withheld ? { withheld: ref('Withholding') } : {}),
  },
})

export const fieldDiff = ref('FieldDiff')

export const stateDiff = (values: object) => ({
  type: 'object',
  additionalProperties: false,
  required: ['before', 'after'],
  properties: { before: values, after: values },
})

/** A volunteer's proposed change of a record (`Proposal`) or of an event (`EventProposal`), and its outcome. */
export const proposalSchemaOf = ($id: string, subject: 'prisonerId' | 'eventId', of: 'record' | 'event', extra: Record<string, unknown> = {}) => ({
  $id,
  type: 'object',
  description: `A volunteer's proposed change of ${of === 'record' ? 'a record' : 'an event'}, and its outcome.`,
  additionalProperties: false,
  required: ['id', subject, 'baseVersion', 'fields', ...Object.keys(extra), 'comment', 'proposedBy', 'proposedAt', 'status', 'decidedBy', 'decidedAt', 'decisionComment'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    [subject]: { type: 'string', format: 'uuid' },
    baseVersion: { type: 'integer', description: `The version of the ${of} the proposal was made on` },
    fields: { type: 'object', additionalProperties: true, description: 'The proposed fields, with their checked citations' },
    ...extra,
    comment: { type: ['string', 'null'] },
    proposedBy: { type: 'string' },
    proposedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['pending', 'approved', 'rejected'] },
    decidedBy: nullable(ACTOR),
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
    decisionComment: { type: ['string', 'null'] },
  },
})
