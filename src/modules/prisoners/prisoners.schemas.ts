import { LANGUAGES } from '../../shared/labels'
import { IDENTIFIER_PATTERNS, IDENTIFIER_SCHEMES, PRISONER_FIELDS, PRISONER_STATUSES, WITHHELD_REASONS } from '../../core/document/fields'
import { REVISION_ACTIONS } from '../../db/entities/revision.entity'
import { PARTIAL_DATE_SCHEMA } from '../../shared/partial-date'
import { nullable, ref } from '../../shared/response-schemas'
import { ISO_COUNTRY, fieldDiff, fieldSchema, proposalSchemaOf, stateDiff } from '../../shared/subject-schemas'

/**
 * Response shapes of the prisoners routes. Each is registered once (`app.addSchema`, in swagger.plugin.ts),
 * becomes a named component of the OpenAPI document and serialises the answers that are objects (records are
 * served pre-serialised; the contract test checks them against these shapes).
 */

export const citationSchema = {
  $id: 'Citation',
  type: 'object',
  description:
    'The evidence for a value: a source and its exact words, located in its archived text. A citation of a private source ' +
    '(a family\'s letter, a testimony) shows everyone but editors only that it exists: `private` true, and null source, quote and offsets.',
  additionalProperties: false,
  required: ['id', 'sourceId', 'quote', 'start', 'end'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Follow it: GET /v1/citations/{id}' },
    sourceId: { type: ['string', 'null'], format: 'uuid', description: 'null for a private source, except to editors' },
    quote: { type: ['string', 'null'], description: "The source's exact words; null for a private source, except to editors" },
    start: { type: ['integer', 'null'], description: "Offset of the quote in the source's archived text, in Unicode code points; null when the source has none" },
    end: { type: ['integer', 'null'] },
    note: { type: 'string', description: 'A remark for auditors; absent when none was given' },
    private: { type: 'boolean', enum: [true], description: 'Present (true) when the source is private' },
  },
}

export const sentenceSchema = {
  $id: 'Sentence',
  type: 'object',
  description: 'A sentence as the source gives it.',
  additionalProperties: false,
  required: ['text'],
  properties: {
    text: { type: 'string', description: 'The sentence in words, as the source gives it' },
    termMonths: { type: 'integer', minimum: 0, description: 'Total term in months, when the source allows computing it' },
    sentencedIn: PARTIAL_DATE_SCHEMA,
    charges: { type: 'array', items: { type: 'string' } },
  },
}

export const destinationSchema = {
  $id: 'Destination',
  type: 'object',
  description: 'Where a released prisoner went.',
  additionalProperties: false,
  required: ['country'],
  properties: { country: ISO_COUNTRY, place: { type: 'string' } },
}

export const identifierSchema = {
  $id: 'Identifier',
  type: 'object',
  description:
    "The person's id in another registry, as that registry writes it: " +
    IDENTIFIER_SCHEMES.map((scheme) => `${scheme} ${IDENTIFIER_PATTERNS[scheme].example}`).join(', ') +
    '. Linked data names the same person by it (`sameAs`) where the registry has stable URLs.',
  additionalProperties: false,
  required: ['scheme', 'id'],
  properties: { scheme: { type: 'string', enum: [...IDENTIFIER_SCHEMES] }, id: { type: 'string' } },
}

/** The value of each cited field, as JSON Schema (null aside). */
const FIELD_VALUES = {
  name: { id: 'Name', schema: { type: 'string', description: 'The name as the source spells it, in any script' } },
  nationality: { id: 'Nationality', schema: ISO_COUNTRY },
  status: { id: 'Status', schema: { type: 'string', enum: [...PRISONER_STATUSES] } },
  sentence: { id: 'Sentence', schema: ref('Sentence') },
  releaseDate: { id: 'ReleaseDate', schema: PARTIAL_DATE_SCHEMA },
  destination: { id: 'Destination', schema: ref('Destination') },
  identifiers: { id: 'Identifiers', schema: { type: 'array', items: ref('Identifier'), description: "The person's ids in other registries" } },
} as const

export const withholdingSchema = {
  $id: 'Withholding',
  type: 'object',
  description:
    'Present when the value is withheld (a family asked, or publishing it would endanger someone): everyone but editors ' +
    'reads a null value without claims or citations, and search never matches it. The reason and the date are public.',
  additionalProperties: false,
  required: ['reason', 'since'],
  properties: {
    reason: { type: 'string', enum: [...WITHHELD_REASONS] },
    since: { type: 'string', format: 'date-time', description: 'When an editor withheld it' },
  },
}

/** Any cited field (its value untyped), as the history and the change feed show fields before and after. */
export const genericFieldSchema = fieldSchema(
  'Field',
  'A cited field: the preferred value, the claim that holds it, its citations and the alternatives other sources give.',
  {},
)

export const typedFieldSchemas = PRISONER_FIELDS.map((field) => {
  const { id, schema } = FIELD_VALUES[field]
  return fieldSchema(`${id}Field`, `The ${field} of a record, with its evidence (a Field whose value is typed).`, schema)
})

const prisonerProperties = {
  id: { type: 'string', format: 'uuid' },
  version: { type: 'integer', minimum: 1, description: 'Increases with every change; the history lists each' },
  ...Object.fromEntries(PRISONER_FIELDS.map((field) => [field, ref(`${FIELD_VALUES[field].id}Field`)])),
  events: {
    type: 'array',
    description: 'The events the person took part in (GET /v1/events/{id}); absent when none',
    items: ref('EventLink'),
  },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  labels: {
    type: 'object',
    description:
      'Present with `lang` (or Accept-Language naming en, be, ru, pl or lt): the values named for people in that language. ' +
      'Not cited and not stored: the cited values above stay as their sources give them.',
    additionalProperties: false,
    required: ['language'],
    properties: {
      language: { type: 'string', enum: [...LANGUAGES] },
      nationality: { type: 'string', description: "The nationality's country name (Intl.DisplayNames)", example: 'Беларусь' },
      status: { type: 'string', description: 'The status in words (the registry catalogue, src/shared/labels.ts)', example: 'вызвалены' },
      destination: { type: 'string', description: "The destination's country name", example: 'Літва' },
    },
  },
}
const prisonerRequired = Object.keys(prisonerProperties).filter((key) => key !== 'events' && key !== 'labels')

export const prisonerSchema = {
  $id: 'Prisoner',
  type: 'object',
  description: 'A record: every field with its preferred value, the citations behind it and the alternatives.',
  additionalProperties: false,
  required: prisonerRequired,
  properties: prisonerProperties,
}

export const searchResultSchema = {
  $id: 'PrisonerListItem',
  type: 'object',
  description: 'A record as lists show it: the record, and with q, the name that matched.',
  additionalProperties: false,
  required: prisonerRequired,
  properties: {
    match: {
      type: 'object',
      description: 'Present with q: the name claim that matched, and whether it has the same spelling as q',
      additionalProperties: false,
      required: ['claimId', 'value', 'rank', 'sameSpelling'],
      properties: {
        claimId: { type: 'string', format: 'uuid' },
        value: { type: 'string' },
        rank: { type: 'string', enum: ['preferred', 'normal', 'deprecated'] },
        sameSpelling: { type: 'boolean' },
      },
    },
    ...prisonerProperties,
  },
}

export const prisonerPageSchema = {
  $id: 'PrisonerPage',
  type: 'object',
  description: 'A page of records; follow next for the following page.',
  additionalProperties: false,
  required: ['data', 'next'],
  properties: {
    data: { type: 'array', items: ref('PrisonerListItem') },
    next: { type: ['string', 'null'], description: 'Pass as cursor to get the next page; null on the last page' },
  },
}

export const fieldDiffSchema = {
  $id: 'FieldDiff',
  type: 'object',
  description: 'A field as one revision changed it: before (null when the revision created it) and after.',
  additionalProperties: false,
  required: ['before', 'after'],
  properties: { before: nullable(ref('Field'), 'null when the revision created the field'), after: ref('Field') },
}

export const revisionSchema = {
  $id: 'Revision',
  type: 'object',
  description: 'One change of a record: who, when, why, and each changed field before and after.',
  additionalProperties: false,
  required: ['version', 'action', 'actor', 'at', 'comment', 'changes'],
  properties: {
    version: { type: 'integer' },
    action: { type: 'string', enum: REVISION_ACTIONS },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    changes: {
      type: 'object',
      description: 'For each changed field: its value and citations before and after; and the changes of state',
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(PRISONER_FIELDS.map((field) => [field, fieldDiff])),
        deletedAt: stateDiff({ type: ['string', 'null'], format: 'date-time' }),
        reviewStatus: stateDiff({ type: 'string', enum: ['pending', 'published', 'rejected'] }),
        proposal: stateDiff({ type: 'string', enum: ['pending', 'approved', 'rejected'] }),
        events: stateDiff({ type: 'array', items: ref('EventLink') }),
      },
    },
  },
}

export const revisionListSchema = {
  $id: 'RevisionList',
  type: 'object',
  description: "A record's revisions, newest first.",
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: ref('Revision') } },
}

export const proposalSchema = proposalSchemaOf('Proposal', 'prisonerId', 'record', {
  events: nullable({ type: 'array', items: { type: 'string', format: 'uuid' } }, "The events the record would name instead of its own; null when the proposal leaves them"),
})

export const eventLinkSchema = {
  $id: 'EventLink',
  type: 'object',
  description: 'An event a record took part in.',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid', description: 'Follow it: GET /v1/events/{id}' } },
}

export const PRISONER_SCHEMAS = [
  citationSchema,
  eventLinkSchema,
  withholdingSchema,
  sentenceSchema,
  destinationSchema,
  identifierSchema,
  genericFieldSchema,
  fieldDiffSchema,
  ...typedFieldSchemas,
  prisonerSchema,
  searchResultSchema,
  prisonerPageSchema,
  revisionSchema,
  revisionListSchema,
  proposalSchema,
]
