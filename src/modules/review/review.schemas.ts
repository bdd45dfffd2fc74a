import { ref } from '../../shared/response-schemas'

// Response shapes of the review routes, registered once as named schemas (see src/shared/response-schemas.ts).

/** A volunteer's new record (`PendingRecord`) or event (`PendingEvent`) waiting for review, with the ETag to review it. */
const pendingSchemaOf = ($id: string, key: 'record' | 'event', schema: string, more: { required: string[]; properties: Record<string, unknown> } = { required: [], properties: {} }) => ({
  $id,
  type: 'object',
  description: `A volunteer's new ${key} waiting for review.`,
  additionalProperties: false,
  required: ['id', 'createdBy', 'createdAt', 'etag', key, ...more.required],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    etag: { type: 'string', description: `Send it in If-Match to review the ${key}` },
    [key]: ref(schema),
    ...more.properties,
  },
})

export const pendingRecordSchema = pendingSchemaOf('PendingRecord', 'record', 'Prisoner', {
  required: ['warnings'],
  properties: {
    warnings: { type: 'array', items: ref('ValueWarning'), description: "The record's values that no quote of theirs seems to say: check them before approving." },
  },
})

export const pendingEventSchema = pendingSchemaOf('PendingEvent', 'event', 'Event')

export const reviewQueueSchema = {
  $id: 'ReviewQueue',
  type: 'object',
  description: 'What waits for review, oldest first.',
  additionalProperties: false,
  required: ['records', 'proposals', 'events', 'eventProposals'],
  properties: {
    records: { type: 'array', items: ref('PendingRecord') },
    proposals: { type: 'array', items: ref('Proposal') },
    events: { type: 'array', items: ref('PendingEvent') },
    eventProposals: { type: 'array', items: ref('EventProposal') },
  },
}

export const REVIEW_SCHEMAS = [pendingRecordSchema, pendingEventSchema, reviewQueueSchema]
