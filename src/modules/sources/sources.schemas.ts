import { SOURCE_KINDS } from '../../db/entities/source.entity'
import { WITHHELD_REASONS } from '../../core/document/fields'
import { ACTOR, cursorPageSchema, nullable, ref } from '../../shared/response-schemas'

/** Response shapes of the sources routes, registered once as named schemas (see src/shared/response-schemas.ts). */
const nullableString = { type: ['string', 'null'] }

export const sourceSchema = {
  $id: 'Source',
  type: 'object',
  description: 'A source citations may quote: its metadata and the fingerprint of its archived text.',
  additionalProperties: false,
  required: [
    'id', 'title', 'publisher', 'url', 'publishedAt', 'retrievedAt', 'language', 'kind', 'note',
    'hasContent', 'contentLength', 'contentSha256', 'createdAt', 'addedBy', 'private',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    publisher: nullableString,
    url: nullableString,
    publishedAt: nullableString,
    retrievedAt: nullableString,
    language: nullableString,
    kind: { type: 'string', enum: [...SOURCE_KINDS] },
    note: nullableString,
    hasContent: { type: 'boolean', description: 'Whether the archived text is held (GET /v1/sources/{id}/content)' },
    contentLength: { type: ['integer', 'null'], description: 'Length of the archived text in Unicode code points' },
    contentSha256: { type: ['string', 'null'], description: 'SHA-256 (hex) of the text as the caller reads it (/content), UTF-8' },
    createdAt: { type: 'string', format: 'date-time' },
    addedBy: nullable(ACTOR, 'Who added it (as `actor`; "seed" for the seed); null when not recorded'),
    private: { type: 'boolean', description: 'A private source: only editors read it (everyone else gets 404 for it)' },
  },
}

const passagesSchema = {
  $id: 'Passages',
  type: 'object',
  description: 'Sentences of a source that hold the words asked for, in the order of the text.',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['start', 'end', 'text'],
        properties: {
          start: { type: 'integer', description: 'Where the sentence starts in the archived text, in code points' },
          end: { type: 'integer' },
          text: { type: 'string', description: 'The sentence exactly as archived: paste it, or part of it, as a quote' },
        },
      },
    },
  },
}

const redactionSchema = {
  $id: 'Redaction',
  type: 'object',
  description: "A span of a source's text left out of its public rendition.",
  additionalProperties: false,
  required: ['id', 'sourceId', 'start', 'end', 'text', 'reason', 'comment', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    sourceId: { type: 'string', format: 'uuid' },
    start: { type: 'integer' },
    end: { type: 'integer' },
    text: { type: 'string' },
    reason: { type: 'string', enum: [...WITHHELD_REASONS] },
    comment: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
}

const redactionListSchema = {
  $id: 'RedactionList',
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: ref('Redaction') } },
}

export const SOURCE_SCHEMAS = [sourceSchema, redactionSchema, redactionListSchema, cursorPageSchema('SourcePage', 'Source', 'A page of sources, oldest first.'), passagesSchema]
