import { ref } from '../../shared/response-schemas'

/** Response shapes of the review routes, registered once as named schemas (see src/shared/response-schemas.ts). */
export const pendingRecordSchema = {
  $id: 'PendingRecord',
  type: 'object',
  description: "A volunteer's new record waiting for review.",
  additionalProperties: false,
  required: ['id', 'createdBy', 'createdAt', 'etag', 'record'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    etag: { type: 'string', description: 'Send it in If-Match to review the record' },
    record: ref('Prisoner'),
  },
}

export const pendingEventSchema = {
  $id: 'PendingEvent',
  type: 'object',
  description: "A volunteer's new event waiting for review.",
  additionalProperties: false,
  required: ['id', 'createdBy', 'createdAt', 'etag', 'event'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    etag: { type: 'string', description: 'Send it in If-Match to review the event' },
    event: ref('Event'),
  },
}

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
