import { CLAIM_RANKS } from '../../db/entities/claim.entity'
import { PRISONER_FIELDS } from '../../core/document/fields'
import { ACTOR, cursorPageSchema, ref } from '../../shared/response-schemas'

/** Response shapes of the citations routes, registered once as named schemas (see src/shared/response-schemas.ts). */
const nullableString = { type: ['string', 'null'] }
const field = { type: 'string', enum: [...PRISONER_FIELDS] }
const rank = { type: 'string', enum: [...CLAIM_RANKS] }

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  ...extra,
  properties,
})

export const citationContextSchema = {
  $id: 'CitationContext',
  ...object({ before: { type: 'string' }, quote: { type: 'string' }, after: { type: 'string' } }),
  description: 'The archived words at the offsets, with the text around them',
}

const context = { anyOf: [ref('CitationContext'), { type: 'null' }], description: 'null when the source has no archived text' }

export const citationTraceSchema = {
  $id: 'CitationTrace',
  description: 'A citation with everything an auditor follows it to: its words in place, its source, its claim and the revision that introduced it.',
  ...object({
    id: { type: 'string', format: 'uuid' },
    quote: { type: 'string' },
    start: { type: ['integer', 'null'] },
    end: { type: ['integer', 'null'] },
    note: nullableString,
    context,
    source: object({ id: { type: 'string', format: 'uuid' }, title: { type: 'string' }, publisher: nullableString, url: nullableString, hasContent: { type: 'boolean' } }),
    claim: object({ id: { type: 'string', format: 'uuid' }, recordId: { type: 'string', format: 'uuid' }, field, value: { description: 'The value the citation supports' }, rank, reason: nullableString }),
    introducedBy: {
      anyOf: [
        object({ version: { type: 'integer' }, action: { type: 'string' }, actor: ACTOR, at: { type: 'string', format: 'date-time' }, comment: nullableString }),
        { type: 'null' },
      ],
      description: 'The revision that introduced the claim: who, when, why',
    },
  }),
}

export const sourceCitationSchema = {
  $id: 'SourceCitation',
  description: 'A citation pointing into a source, with the record, field and value it supports.',
  ...object({
    id: { type: 'string', format: 'uuid' },
    recordId: { type: 'string', format: 'uuid' },
    claimId: { type: 'string', format: 'uuid' },
    field,
    value: { description: 'The value the citation supports' },
    rank,
    quote: { type: 'string' },
    start: { type: ['integer', 'null'] },
    end: { type: ['integer', 'null'] },
    context,
  }),
}

export const CITATION_SCHEMAS = [
  citationContextSchema,
  citationTraceSchema,
  sourceCitationSchema,
  cursorPageSchema('SourceCitationPage', 'SourceCitation', 'A page of the citations into a source, in the order of its text.'),
]
