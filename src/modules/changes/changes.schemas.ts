import { PRISONER_FIELDS } from '../../core/document/fields'
import { REVISION_ACTIONS } from '../../db/entities/revision.entity'
import { ACTOR, nullable, ref } from '../../shared/response-schemas'
import { feedPageSchema, fieldChangeSchemaOf } from '../../shared/subject-schemas'

/** Response shapes of the change feed, registered once as named schemas (see src/shared/response-schemas.ts). */
export const fieldChangeSchema = fieldChangeSchemaOf('FieldChange', PRISONER_FIELDS, 'record')

export const changeSchema = {
  $id: 'Change',
  type: 'object',
  description: 'One revision of one record in the change feed.',
  additionalProperties: false,
  required: ['seq', 'recordId', 'version', 'action', 'actor', 'at', 'comment', 'state', 'recordCreatedAt', 'review', 'changes', 'events'],
  properties: {
    seq: { type: 'integer', description: 'Increases with every change across the registry' },
    recordId: { type: 'string', format: 'uuid' },
    version: { type: 'integer' },
    action: { type: 'string', enum: [...REVISION_ACTIONS] },
    actor: ACTOR,
    at: { type: 'string', format: 'date-time' },
    comment: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['published', 'deleted', 'pending', 'rejected'], description: 'The record after the change' },
    recordCreatedAt: { type: 'string', format: 'date-time' },
    review: nullable(
      {
        type: 'object',
        additionalProperties: false,
        required: ['of', 'decision'],
        properties: { of: { type: 'string', enum: ['record', 'proposal'] }, decision: { type: 'string', enum: ['approved', 'rejected'] } },
      },
      'For reviews: what was decided about what; null otherwise',
    ),
    changes: { type: 'array', items: ref('FieldChange') },
    events: nullable(
      { type: 'array', items: ref('EventLink') },
      "The record's events after the change, when it changed them (an empty list: none any more); null otherwise",
    ),
  },
}

export const changePageSchema = feedPageSchema('ChangePage', 'Change', 'A page of the change feed.')

export const CHANGE_SCHEMAS = [fieldChangeSchema, changeSchema, changePageSchema]
