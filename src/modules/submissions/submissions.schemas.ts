import { ACTOR, nullable } from '../../shared/response-schemas'

const nullableString = { type: ['string', 'null'] }

/** The caller's proposed changes, of records or of events. */
const submittedProposals = (subject: 'prisonerId' | 'eventId', read: string) => ({
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', subject, 'status', 'proposedAt', 'decidedBy', 'decidedAt', 'decisionComment'],
    properties: {
      id: { type: 'string', format: 'uuid', description: read },
      [subject]: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: ['pending', 'approved', 'rejected'] },
      proposedAt: { type: 'string', format: 'date-time' },
      decidedBy: nullable(ACTOR),
      decidedAt: nullableString,
      decisionComment: nullableString,
    },
  },
})

export const submissionsSchema = {
  $id: 'Submissions',
  type: 'object',
  description: 'What your key submitted, newest first (up to 200 of each), and where each stands.',
  additionalProperties: false,
  required: ['records', 'proposals', 'events', 'eventProposals'],
  properties: {
    records: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'state', 'createdAt', 'updatedAt', 'etag'],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'Read it in full at GET /v1/prisoners/{id}, with your key' },
          name: nullableString,
          state: { type: 'string', enum: ['pending', 'published', 'rejected', 'deleted'], description: 'pending: waits for an editor' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          etag: { ...nullableString, description: 'Its current ETag, for If-Match; null once deleted' },
        },
      },
    },
    proposals: submittedProposals('prisonerId', 'Read it in full at GET /v1/proposals/{id}'),
    eventProposals: submittedProposals('eventId', 'Read it in full at GET /v1/events/proposals/{id}'),
    events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'date', 'state', 'createdAt', 'updatedAt'],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'Read it in full (and its ETag) at GET /v1/events/{id}, with your key; the review is in its history' },
          kind: nullableString,
          date: nullableString,
          state: { type: 'string', enum: ['pending', 'published', 'rejected', 'deleted'], description: 'pending: waits for an editor' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
}

export const SUBMISSION_SCHEMAS = [submissionsSchema]
