import { EVENT_FIELDS, PRISONER_FIELDS } from '../../core/document/fields'
import { ref } from '../../shared/response-schemas'

/** Response shapes of the audit routes, registered once as named schemas (see src/shared/response-schemas.ts). */
const counts = (...keys: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: keys,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
})

export const auditFailureSchema = {
  $id: 'AuditFailure',
  type: 'object',
  description:
    'One failure: `source-altered` (sourceId, title, recordedSha256, actualSha256), `quote-mismatch` (citationId, sourceId, ' +
    'recordId, field, quote, atOffsets), `offsets-missing` (citationId, sourceId, recordId, field) or `uncited-claim` (claimId, recordId, field); ' +
    'of an event\'s field, eventId instead of recordId.',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: ['source-altered', 'quote-mismatch', 'offsets-missing', 'uncited-claim'] },
    sourceId: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    recordedSha256: { type: 'string' },
    actualSha256: { type: 'string' },
    citationId: { type: 'string', format: 'uuid' },
    claimId: { type: 'string', format: 'uuid' },
    recordId: { type: 'string', format: 'uuid' },
    eventId: { type: 'string', format: 'uuid' },
    field: { type: 'string', enum: [...new Set([...PRISONER_FIELDS, ...EVENT_FIELDS])] },
    quote: { type: 'string' },
    atOffsets: { type: 'string' },
  },
}

export const auditReportSchema = {
  $id: 'AuditReport',
  type: 'object',
  description: 'What re-verifying the archive and every citation found.',
  additionalProperties: false,
  required: ['ok', 'checkedAt', 'sources', 'citations', 'claims', 'failures', 'failuresTruncated', 'failuresHidden'],
  properties: {
    ok: { type: 'boolean' },
    checkedAt: { type: 'string', format: 'date-time' },
    sources: counts('total', 'archived', 'altered'),
    citations: counts('total', 'checked', 'unverifiable', 'failed'),
    claims: counts('uncited'),
    failures: { type: 'array', items: ref('AuditFailure') },
    failuresTruncated: { type: 'boolean' },
    failuresHidden: { type: 'integer', description: 'Failures on records your key may not read: counted, not shown' },
  },
}

export const fieldCountsSchema = {
  $id: 'FieldCoverage',
  description: 'Of one field: how many values are published, how many of them are cited, and in how many the sources disagree.',
  ...counts('values', 'citedValues', 'withDisagreement'),
}
const fieldCounts = ref('FieldCoverage')

export const coverageSchema = {
  $id: 'Coverage',
  type: 'object',
  description: 'How much of what is published is cited, field by field.',
  additionalProperties: false,
  required: ['records', 'values', 'citedValues', 'fieldsWithDisagreements', 'byField', 'events'],
  properties: {
    events: {
      type: 'object',
      description: "The same counts for events' fields (GET /v1/events)",
      additionalProperties: false,
      required: ['events', 'values', 'citedValues', 'fieldsWithDisagreements', 'byField'],
      properties: {
        events: { type: 'integer' },
        values: { type: 'integer' },
        citedValues: { type: 'integer' },
        fieldsWithDisagreements: { type: 'integer' },
        byField: {
          type: 'object',
          additionalProperties: false,
          required: [...EVENT_FIELDS],
          properties: Object.fromEntries(EVENT_FIELDS.map((field) => [field, fieldCounts])),
        },
      },
    },
    records: { type: 'integer' },
    values: { type: 'integer' },
    citedValues: { type: 'integer' },
    fieldsWithDisagreements: { type: 'integer' },
    byField: {
      type: 'object',
      additionalProperties: false,
      required: [...PRISONER_FIELDS],
      properties: Object.fromEntries(PRISONER_FIELDS.map((field) => [field, fieldCounts])),
    },
  },
}

export const AUDIT_SCHEMAS = [auditFailureSchema, auditReportSchema, fieldCountsSchema, coverageSchema]
