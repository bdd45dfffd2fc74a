import { ref } from '../../shared/response-schemas'

/** Response shapes of the candidates routes (registered once, in src/response-schemas.ts). */

const quoted = (value: Record<string, unknown>, description: string) => ({
  type: 'object',
  description: `${description}, with the statement's words that say it at their offsets (code points of the archived text).`,
  additionalProperties: false,
  required: ['value', 'quote', 'start', 'end'],
  properties: { value, quote: { type: 'string' }, start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
})

const RECOGNITION = quoted(
  { type: 'object', additionalProperties: false, required: ['by'], properties: { by: { type: 'array', items: { type: 'string' } }, date: { type: 'string' } } },
  'Who recognised the people and when, from the statement\'s header or first paragraph',
)

const WRITE_FIELD = {
  type: 'object',
  description: 'A field as POST /v1/prisoners takes it',
  additionalProperties: false,
  required: ['value', 'citations'],
  properties: {
    value: {},
    citations: { type: 'array', items: ref('CandidateCitation') },
    alternatives: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['value', 'citations'], properties: { value: {}, citations: { type: 'array', items: ref('CandidateCitation') } } },
    },
  },
}

export const candidateCitationSchema = {
  $id: 'CandidateCitation',
  type: 'object',
  additionalProperties: false,
  required: ['sourceId', 'quote'],
  properties: { sourceId: { type: 'string', format: 'uuid' }, quote: { type: 'string' }, note: { type: 'string' } },
}

export const unparsedEntrySchema = {
  $id: 'UnparsedEntry',
  type: 'object',
  description: 'An entry of the list from which no one person could be read: left out, never guessed.',
  additionalProperties: false,
  required: ['text', 'start', 'end', 'reason'],
  properties: { text: { type: 'string', description: 'Its first 300 characters' }, start: { type: 'integer' }, end: { type: 'integer' }, reason: { type: 'string' } },
}

export const candidateSchema = {
  $id: 'Candidate',
  type: 'object',
  description: 'A person the statement lists, each value with its quote, and what submitting it would do.',
  additionalProperties: false,
  required: ['index', 'name', 'action', 'fields', 'notes'],
  properties: {
    index: { type: 'integer', minimum: 0, description: 'Its place in the list: keep it by this number' },
    name: quoted({ type: 'string' }, 'The name as the statement spells it'),
    stage: { type: 'string', enum: ['detained', 'charged', 'sentenced', 'released'], description: 'The stage of the case the statement gives' },
    status: quoted({ type: 'string', enum: ['detained', 'released'] }, "The registry's status for the stage (charged and sentenced are detained)"),
    charges: quoted({ type: 'array', items: { type: 'string' } }, 'The articles of the Criminal Code'),
    sentence: quoted(
      {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: { text: { type: 'string' }, termMonths: { type: 'integer' }, charges: { type: 'array', items: { type: 'string' } } },
      },
      'The sentence as text, its term in months and the charges',
    ),
    recognition: RECOGNITION,
    action: {
      type: 'string',
      enum: ['create', 'propose', 'nothing'],
      description: 'create: a new record, pending review; propose: a proposal to the record its name matched; nothing: that record already says it all',
    },
    match: {
      type: 'object',
      description: 'The published record whose name matched, in any script or spelling',
      additionalProperties: false,
      required: ['prisonerId', 'name', 'version'],
      properties: { prisonerId: { type: 'string', format: 'uuid' }, name: { type: 'string' }, version: { type: 'integer' } },
    },
    fields: {
      type: 'object',
      description: "What it submits, as POST /v1/prisoners takes fields; for a match only the fields that differ, the record's claims kept",
      additionalProperties: false,
      properties: { name: WRITE_FIELD, status: WRITE_FIELD, sentence: WRITE_FIELD, recognition: WRITE_FIELD },
    },
    notes: { type: 'array', items: { type: 'string' }, description: 'What of the statement it does not submit, and why' },
  },
}

export const candidatesSchema = {
  $id: 'Candidates',
  type: 'object',
  description: 'The people a statement lists, read by rules (docs/api.md, "Candidates from a statement"); nothing is saved.',
  additionalProperties: false,
  required: ['sourceId', 'layout', 'candidates', 'unparsed'],
  properties: {
    sourceId: { type: 'string', format: 'uuid' },
    layout: { type: 'string', enum: ['numbered', 'semicolons', 'lines', 'none'], description: 'How the list was found' },
    recognition: RECOGNITION,
    candidates: { type: 'array', items: ref('Candidate') },
    unparsed: { type: 'array', items: ref('UnparsedEntry') },
  },
}

export const candidatesSubmittedSchema = {
  $id: 'CandidatesSubmitted',
  type: 'object',
  description: 'What the kept candidates became: pending records and proposals, each reviewed as any other.',
  additionalProperties: false,
  required: ['records', 'proposals', 'unchanged'],
  properties: {
    records: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['index', 'id'], properties: { index: { type: 'integer' }, id: { type: 'string', format: 'uuid' } } },
    },
    proposals: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['index', 'id', 'prisonerId'],
        properties: { index: { type: 'integer' }, id: { type: 'string', format: 'uuid' }, prisonerId: { type: 'string', format: 'uuid' } },
      },
    },
    unchanged: { type: 'array', items: { type: 'integer' }, description: 'Kept candidates whose record already says everything they do' },
  },
}

export const CANDIDATE_SCHEMAS = [candidateCitationSchema, unparsedEntrySchema, candidateSchema, candidatesSchema, candidatesSubmittedSchema]
