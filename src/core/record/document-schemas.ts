import { LANGUAGES } from '../../shared/labels'
import { PARTIAL_DATE_SCHEMA } from '../../shared/partial-date'
import { nullable, ref } from '../../shared/response-schemas'
import { IDENTIFIER_PATTERNS, IDENTIFIER_SCHEMES, PRISONER_FIELDS, PRISONER_STATUSES, WITHHELD_REASONS, type PrisonerField } from '../document/fields'
import { declarationOf, type FieldKind } from '../document/record-fields'

/**
 * The shape of a record's document as it is stored and served (docs/design.md §2, invariant 9): the one declaration the
 * routes serve records with (registered by the prisoners module, modules/prisoners/prisoners.schemas.ts) and
 * the writer checks every document against before storing it (document-check.ts).
 */
export const ISO_COUNTRY = { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code, e.g. BY' }

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

export const recognitionSchema = {
  $id: 'Recognition',
  type: 'object',
  description: 'That the person was recognised as a political prisoner: by which organisations, and the date of their statement.',
  additionalProperties: false,
  required: ['by'],
  properties: {
    by: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'The organisations, as the statement names them' },
    date: { ...PARTIAL_DATE_SCHEMA, description: 'The date of the statement (YYYY, YYYY-MM or YYYY-MM-DD)' },
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

/**
 * The shape of the stored documents. Raise it with any change to what a stored document holds (a field, a
 * property, how a value is written): on start the app rebuilds every document built with another shape from
 * the claims (documents-rebuild.ts), and the writer's check (document-check.ts) refuses what the new schema does not accept.
 * 1: checked against the contract. 2: public documents drop the offsets of masked citations and mark redacted spans;
 * every record has `arrestDate`.
 */
export const DOCUMENT_SHAPE_VERSION = 2

/** The value of each kind of field (record-fields.ts), as JSON Schema (null aside). */
const KIND_SCHEMAS: Record<FieldKind, Record<string, unknown>> = {
  name: { type: 'string', description: 'The name as the source spells it, in any script' },
  country: ISO_COUNTRY,
  status: { type: 'string', enum: [...PRISONER_STATUSES] },
  sentence: ref('Sentence'),
  partialDate: PARTIAL_DATE_SCHEMA,
  destination: ref('Destination'),
  identifiers: { type: 'array', items: ref('Identifier'), description: "The person's ids in other registries" },
  recognition: ref('Recognition'),
}

/** The name of a field's component (`<title>Field`) and the schema of its value. */
const valueOf = (field: PrisonerField) => ({ id: declarationOf(field).title, schema: KIND_SCHEMAS[declarationOf(field).kind] })

/** One cited field as reads show it, its value typed by `value` (`{}`: any JSON value). */
export function fieldSchema($id: string, description: string, value: Record<string, unknown>) {
  return {
    $id,
    type: 'object',
    description,
    additionalProperties: false,
    required: ['value', 'claimId', 'citations', 'alternatives'],
    properties: {
      value: nullable(value, 'The preferred value; null when unknown, or withheld (except to editors)'),
      claimId: { type: ['string', 'null'], format: 'uuid', description: 'The claim that holds the preferred value; null when the value is null' },
      citations: { type: 'array', items: ref('Citation') },
      alternatives: {
        type: 'array',
        description: 'What other sources say, each with its own citations',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['claimId', 'value', 'rank', 'citations'],
          properties: {
            claimId: { type: 'string', format: 'uuid' },
            value,
            rank: { type: 'string', enum: ['normal'] },
            citations: { type: 'array', items: ref('Citation') },
          },
        },
      },
      withheld: ref('Withholding'),
    },
  }
}

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

export const typedFieldSchemas = PRISONER_FIELDS.map((field) => {
  const { id, schema } = valueOf(field)
  return fieldSchema(`${id}Field`, `The ${field} of a record, with its evidence (a Field whose value is typed).`, schema)
})

export const prisonerProperties = {
  id: { type: 'string', format: 'uuid' },
  version: { type: 'integer', minimum: 1, description: 'Increases with every change; the history lists each' },
  ...Object.fromEntries(PRISONER_FIELDS.map((field) => [field, ref(`${valueOf(field).id}Field`)])),
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
  /** Only in the answer to a withholding (editors): where the withheld words stay in public sources' texts. */
  withheldWordsIn: ref('WithheldWordsIn'),
}
const OPTIONAL = ['events', 'labels', 'withheldWordsIn']
export const prisonerRequired = Object.keys(prisonerProperties).filter((key) => !OPTIONAL.includes(key))

export const withheldWordsInSchema = {
  $id: 'WithheldWordsIn',
  type: 'array',
  description: 'Only when withholding: where its words stay in public texts, to redact',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['sourceId', 'start', 'end', 'text', 'redacted'],
    properties: { sourceId: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, text: { type: 'string' }, redacted: { type: 'boolean' } },
  },
}

export const prisonerSchema = {
  $id: 'Prisoner',
  type: 'object',
  description: 'A record: every field with its preferred value, the citations behind it and the alternatives.',
  additionalProperties: false,
  required: prisonerRequired,
  properties: prisonerProperties,
}

export const eventLinkSchema = {
  $id: 'EventLink',
  type: 'object',
  description: 'An event a record took part in.',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid', description: 'Follow it: GET /v1/events/{id}' } },
}


/** Every schema a stored record document is checked with, `Prisoner` and those it refers to, in registration order. */
export const DOCUMENT_SCHEMAS = [
  withheldWordsInSchema,
  citationSchema,
  eventLinkSchema,
  withholdingSchema,
  sentenceSchema,
  recognitionSchema,
  destinationSchema,
  identifierSchema,
  ...typedFieldSchemas,
  prisonerSchema,
]
