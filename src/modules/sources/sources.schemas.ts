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
    'hasContent', 'contentLength', 'contentSha256', 'createdAt', 'addedBy', 'private', 'captures',
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
    captures: { type: 'array', items: ref('Capture'), description: 'What its address served each time the registry fetched it, oldest first; empty for a pasted or uploaded text' },
  },
}

const captureSchema = {
  $id: 'Capture',
  type: 'object',
  description: "What a source's address served when the registry fetched it; the page itself is in GET /v1/sources/{id}/capture.warc.",
  additionalProperties: false,
  required: ['id', 'requestedUrl', 'finalUrl', 'status', 'contentType', 'capturedAt', 'warcSha256', 'warcSize', 'textChanged', 'capturedBy'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    requestedUrl: { type: 'string', description: 'The address fetched' },
    finalUrl: { type: 'string', description: 'Where it led, after redirects' },
    status: { type: 'integer', description: 'The HTTP status of the page' },
    contentType: { ...nullableString, description: 'Its Content-Type header, as sent' },
    capturedAt: { type: 'string', format: 'date-time', description: 'When its answer arrived' },
    warcSha256: { type: 'string', description: "SHA-256 (hex) of this capture's WARC records, as they stand in capture.warc" },
    warcSize: { type: 'integer', description: "Bytes of this capture's WARC records" },
    textChanged: { type: 'boolean', description: "Whether the readable text of this capture differs from the source's archived text (its SHA-256)" },
    capturedBy: { ...ACTOR, description: 'Who asked for it (as `actor`)' },
  },
}

const recaptureSchema = {
  $id: 'Recapture',
  type: 'object',
  description: "A new capture of a source's address, and whether its text changed since the source was archived.",
  additionalProperties: false,
  required: ['capture', 'textChanged'],
  properties: {
    capture: ref('Capture'),
    textChanged: {
      type: 'boolean',
      description: "Whether the page's readable text now differs from the source's archived text. The archived text stays as it was: quotes citing the source were checked against it.",
    },
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

export const SOURCE_SCHEMAS = [captureSchema, recaptureSchema, sourceSchema, redactionSchema, redactionListSchema, cursorPageSchema('SourcePage', 'Source', 'A page of sources, oldest first.'), passagesSchema]
