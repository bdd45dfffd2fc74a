import { IMPORT_STATUSES } from '../../db/entities/import.entity'

/** Response shapes of the imports routes, registered once as named schemas (see src/shared/response-schemas.ts). */

const rowProblem = {
  type: 'object',
  additionalProperties: false,
  required: ['row', 'column', 'message'],
  properties: {
    row: { type: 'integer', description: 'The row as a spreadsheet numbers it: the header is row 1' },
    column: { type: ['string', 'null'], description: 'The column to fix (its header); null for the row as a whole' },
    message: { type: 'string', description: 'What is wrong, in the words of the record form, naming the column' },
  },
}

const progress = {
  id: { type: 'string', format: 'uuid', description: 'The import id: GET /v1/imports/{id}, and ?importId= to resume it' },
  status: {
    type: 'string',
    enum: [...IMPORT_STATUSES],
    description: 'running; finished; interrupted (the upload ended early: send the file again with ?importId= to resume); stopped (more rows than an import takes)',
  },
  fileName: { type: 'string' },
  rowsRead: { type: 'integer', description: 'Rows read so far (empty rows and the header not counted)' },
  submitted: { type: 'integer', description: 'Rows submitted: each a pending record or a proposal' },
  skipped: { type: 'integer', description: 'Rows whose row key this key had already submitted: nothing done' },
  failed: { type: 'integer', description: 'Rows with problems: nothing done' },
  problems: { type: 'array', items: rowProblem, description: 'The problems of the failed rows (the first 1,000), by row and column' },
}

export const importProgressSchema = {
  $id: 'ImportProgress',
  type: 'object',
  description: "An import's progress: its latest run (POST /v1/imports), as far as it has gone.",
  additionalProperties: false,
  required: [...Object.keys(progress), 'createdAt', 'updatedAt'],
  properties: { ...progress, createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' } },
}

export const importRunSchema = {
  $id: 'ImportRun',
  type: 'object',
  description: 'What an import did, row by row.',
  additionalProperties: false,
  required: [...Object.keys(progress), 'rows'],
  properties: {
    ...progress,
    rows: {
      type: 'array',
      description: 'Each row read, in order: what became of it',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['row', 'rowKey', 'outcome'],
        properties: {
          row: { type: 'integer' },
          rowKey: { type: 'string', description: 'key:<row_key>, or sha256:<hash of the row\'s cells> when it has no row_key' },
          outcome: { type: 'string', enum: ['submitted', 'skipped', 'failed'] },
          recordId: { type: 'string', format: 'uuid', description: 'The record made (pending review), or the record proposed a change to' },
          proposalId: { type: 'string', format: 'uuid', description: 'The proposal made, for a row that names a record by id' },
          importId: { type: 'string', format: 'uuid', description: 'A skipped row: the import that submitted it' },
        },
      },
    },
  },
}

export const IMPORT_SCHEMAS = [importProgressSchema, importRunSchema]
