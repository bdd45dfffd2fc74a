import { PRISONER_FIELDS } from '../../core/document/fields'
import { DOCUMENT_SCHEMAS, fieldSchema, prisonerProperties, prisonerRequired } from '../../core/record/document-schemas'
import { REVISION_ACTIONS } from '../../db/entities/revision.entity'
import { ACTOR, nullable, ref } from '../../shared/response-schemas'
import { fieldDiff, proposalSchemaOf, stateDiff } from '../../shared/subject-schemas'

/**
 * Response shapes of the prisoners routes. Each is registered once (`app.addSchema`, in swagger.plugin.ts),
 * becomes a named component of the OpenAPI document and serialises the answers that are objects (records are
 * served pre-serialised; the contract test checks them against these shapes).
 */

/** Any cited field (its value untyped), as the history and the change feed show fields before and after. */
export const genericFieldSchema = fieldSchema(
  'Field',
  'A cited field: the preferred value, the claim that holds it, its citations and the alternatives other sources give.',
  {},
)

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
    actor: ACTOR,
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
  warnings: { type: 'array', items: ref('ValueWarning'), description: 'The proposed values that no quote of theirs seems to say: check them before approving.' },
})

/** A value that none of its quotes seems to say (src/core/evidence/value-support.ts): said, never refused. */
export const valueWarningSchema = {
  $id: 'ValueWarning',
  type: 'object',
  description: "A typed value (a country, a status, a date, a sentence's term) that none of its quotes seems to say: sources paraphrase, so it is a warning to check, not a refusal.",
  additionalProperties: false,
  required: ['path', 'message'],
  properties: {
    path: { type: 'string', description: 'The value: a JSON Pointer into the write (/nationality/value), or the form field (nationality)' },
    message: { type: 'string' },
  },
}

/** A record as a write answers it: the record, and the values its quotes do not seem to say. */
export const writtenPrisonerSchema = {
  $id: 'WrittenPrisoner',
  type: 'object',
  description: 'The record as written (or, in a dry run, as it would be), and `warnings`: its values that no quote of theirs seems to say.',
  additionalProperties: false,
  required: [...prisonerRequired, 'warnings'],
  properties: { ...prisonerProperties, warnings: { type: 'array', items: ref('ValueWarning') } },
}

// The record's own shapes are declared in core (document-schemas.ts), where the writer checks stored documents by them.
export const PRISONER_SCHEMAS = [
  // What a stored record document is checked with (document-check.ts) is what the contract says it is.
  ...DOCUMENT_SCHEMAS,
  genericFieldSchema,
  fieldDiffSchema,
  valueWarningSchema,
  writtenPrisonerSchema,
  searchResultSchema,
  prisonerPageSchema,
  revisionSchema,
  revisionListSchema,
  proposalSchema,
]
