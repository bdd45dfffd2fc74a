import { EVENT_FIELDS, EVENT_KINDS } from '../../core/document/fields'
import { PARTIAL_DATE_SCHEMA } from '../../shared/partial-date'
import { ACTOR, cursorPageSchema, listSchema, ref } from '../../shared/response-schemas'
import { EVENT_REVISION_ACTIONS } from '../../db/entities/revision.entity'
import { feedPageSchema, fieldChangeSchemaOf, fieldClaimsSchemaOf, fieldDiff, proposalSchemaOf, stateDiff } from '../../shared/subject-schemas'
import { ISO_COUNTRY, fieldSchema } from '../../core/record/document-schemas'

/** Response shapes of the events routes, registered once as named schemas (see src/shared/response-schemas.ts). */

/** The value of each cited field of an event, by the name of its field schema. */
const EVENT_FIELD_VALUES = {
  kind: { id: 'EventKindField', schema: { type: 'string', enum: [...EVENT_KINDS] } },
  date: { id: 'EventDateField', schema: PARTIAL_DATE_SCHEMA },
  place: { id: 'PlaceField', schema: { type: 'string', description: 'Where it happened, as the source names it' } },
  fromCountry: { id: 'CountryField', schema: ISO_COUNTRY },
  toCountry: { id: 'CountryField', schema: ISO_COUNTRY },
  count: { id: 'PeopleCountField', schema: { type: 'integer', minimum: 1, description: 'How many people, as the source says' } },
  composition: {
    id: 'CompositionField',
    schema: {
      type: 'object',
      description: 'How many people of each nationality, by ISO 3166-1 alpha-2 code',
      additionalProperties: { type: 'integer', minimum: 1 },
    },
  },
  brokeredBy: { id: 'BrokeredByField', schema: { type: 'string', description: 'Who brokered or ordered it, as the source says' } },
} as const

const eventFieldSchemas = [...new Map(EVENT_FIELDS.map((field) => [EVENT_FIELD_VALUES[field].id, field])).entries()].map(([id, field]) =>
  fieldSchema(id, `The ${field} of an event, with its evidence (a Field whose value is typed).`, EVENT_FIELD_VALUES[field].schema),
)

const count = { type: 'integer', minimum: 0 }

export const comparisonSchema = {
  $id: 'EventComparison',
  type: 'object',
  description:
    "What the event's group facts (its preferred count and composition) say against the records linked to it: what is still " +
    'to be found, and what cannot both be right. Counts only published records, by the nationality their records give.',
  additionalProperties: false,
  required: ['count', 'composition', 'unknownNationality', 'contradictions', 'missing'],
  properties: {
    count: {
      type: 'object',
      additionalProperties: false,
      required: ['stated', 'linked'],
      properties: { stated: { type: ['integer', 'null'], description: 'null when no source gives a count' }, linked: count },
    },
    composition: {
      type: 'array',
      description: 'Per nationality: how many the composition states, how many linked records have it; most stated first',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['nationality', 'stated', 'identified'],
        properties: {
          nationality: ISO_COUNTRY,
          stated: { type: ['integer', 'null'], minimum: 0, description: '0 when the composition leaves the nationality out; null when there is no composition' },
          identified: count,
        },
      },
    },
    unknownNationality: { ...count, description: 'Linked records that give no nationality yet' },
    contradictions: { type: 'array', items: { type: 'string' }, description: 'In words, each a disagreement for an auditor to look into' },
    missing: { type: 'array', items: { type: 'string' }, description: 'In words, what volunteers could still find' },
  },
}

export const participantSchema = {
  $id: 'Participant',
  type: 'object',
  description: 'A published record linked to the event, with its public name and nationality (null when unknown or withheld).',
  additionalProperties: false,
  required: ['id', 'name', 'nationality'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'GET /v1/prisoners/{id}' },
    name: { type: ['string', 'null'] },
    nationality: { type: ['string', 'null'], pattern: '^[A-Z]{2}$' },
  },
}

const eventProperties = {
  id: { type: 'string', format: 'uuid' },
  version: { type: 'integer', minimum: 1, description: 'Increases with every change' },
  ...Object.fromEntries(EVENT_FIELDS.map((field) => [field, ref(EVENT_FIELD_VALUES[field].id)])),
  participants: { type: 'array', items: ref('Participant'), description: 'The records that took part, by name' },
  comparison: ref('EventComparison'),
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
}

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  description:
    'An event records took part in (a release, a transfer…): what the sources say about it as a group, each value with its ' +
    'citations and alternatives as a record field, the records linked to it, and how the two compare.',
  additionalProperties: false,
  required: Object.keys(eventProperties),
  properties: eventProperties,
}

export const eventRevisionSchema = {
  $id: 'EventRevision',
  type: 'object',
  description: 'One change of an event: who, when, why, and each changed field before and after.',
  additionalProperties: false,
  required: ['version', 'action', 'actor', 'at', 'comment', 'changes'],
  properties: {
    version: { type: 'integer' },
    action: { type: 'string', enum: [...EVENT_REVISION_ACTIONS] },
    actor: ACTOR,
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    changes: {
      type: 'object',
      description: 'For each changed field: its value and citations before and after; for a delete or restore, deletedAt; for a review, reviewStatus (an approval also carries every field, as published)',
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(EVENT_FIELDS.map((field) => [field, fieldDiff])),
        deletedAt: stateDiff({ type: ['string', 'null'], format: 'date-time' }),
        reviewStatus: stateDiff({ type: 'string', enum: ['pending', 'published', 'rejected'] }),
      },
    },
  },
}

export const eventChangeSchema = {
  $id: 'EventChange',
  type: 'object',
  description: 'One revision of one event in the events\' change feed.',
  additionalProperties: false,
  required: ['seq', 'eventId', 'version', 'action', 'actor', 'at', 'comment', 'state', 'eventCreatedAt', 'changes'],
  properties: {
    seq: { type: 'integer', description: 'Increases with every change of an event, in commit order' },
    eventId: { type: 'string', format: 'uuid' },
    version: { type: 'integer' },
    action: { type: 'string', enum: [...EVENT_REVISION_ACTIONS] },
    actor: ACTOR,
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['published', 'deleted'], description: 'The event after the change' },
    eventCreatedAt: { type: 'string', format: 'date-time' },
    changes: { type: 'array', items: ref('EventFieldChange') },
  },
}

export const EVENT_SCHEMAS = [
  fieldClaimsSchemaOf('EventFieldClaims', EVENT_FIELDS, false),
  proposalSchemaOf('EventProposal', 'eventId', 'event'),
  fieldChangeSchemaOf('EventFieldChange', EVENT_FIELDS, 'event'),
  eventChangeSchema,
  feedPageSchema('EventChangePage', 'EventChange', "A page of the events' change feed."),
  eventRevisionSchema,
  listSchema('EventRevisionList', 'EventRevision', "An event's revisions, newest first."),
  ...eventFieldSchemas,
  comparisonSchema,
  participantSchema,
  eventSchema,
  cursorPageSchema('EventPage', 'Event', 'A page of events, newest first; follow next for the following page.'),
]
