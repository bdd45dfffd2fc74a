import type { Readable } from 'node:stream'
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { ProblemError } from '../../errors'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dryRunOf, sendDryRun } from '../../shared/dry-run'
import { dtoSchema, dtoValidatorCompiler } from '../../shared/dto'
import { newId } from '../../shared/ids'
import { IdParams } from '../../shared/paging.dto'
import { dryRunResponse, named, notModified, problems } from '../../shared/response-schemas'
import { IMPORT_COLUMNS } from './imports.columns'
import { ImportQuery } from './imports.dto'
import { ImportLimits, ImportRun, problemPath, readImport } from './imports.service'
import { sheetFormat } from './imports.sheet'
import { readUpload } from './imports.upload'

/** What an import takes unless configured (Config.imports): 20 MB, 10,000 rows. */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 20 * 1024 * 1024, maxRows: 10_000 }

/** The body of each import request, as it arrives: read by the route while it streams (imports.upload.ts). */
const uploads = new WeakMap<FastifyRequest, Readable>()

/** The body is read by the route itself, not validated as a whole; the query and path go through their DTOs. */
const validatorCompiler: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : dtoValidatorCompiler(route)

const DESCRIPTION = (limits: ImportLimits) =>
  'Many people at once, from a spreadsheet: upload a `.csv` (UTF-8) or `.xlsx` file (its first sheet) as `file`. The first row names the ' +
  'columns; each further row is one person, submitted for review as a pending record, or, when its `id` names a record, as a ' +
  'proposed change to it. Every value is cited: per value, `<column>_source_id` and `<column>_quote` (e.g. `name_quote`); per row, ' +
  '`source_id` and `quote`, for every value without its own. `row_key` is the row\'s own key (else the hash of its cells): a row ' +
  "this key has submitted before is skipped, so sending a file again changes nothing. `comment` goes to the record's history.\n\n" +
  `The columns: ${IMPORT_COLUMNS.join(', ')}. Values are spelled as GET /v1/export writes them (lists joined with " | ", ` +
  'identifiers as scheme:id; a country by its code or its name).\n\n' +
  '`dryRun=true` (prefilled) checks every row and saves nothing: 200 when every row is good, else 422 naming each problem at ' +
  '`/rows/<row>/<column>` (the header is row 1). A real run submits each good row in a transaction of its own and answers what ' +
  'became of every row. Give `importId` (a UUID of your choice) to follow its progress at GET /v1/imports/{id} while it uploads, ' +
  `and to resume it by sending the file again. At most ${limits.maxRows} rows and ${limits.maxBytes} bytes an import.`

export default async function importsRoutes(app: FastifyInstance, { limits = DEFAULT_IMPORT_LIMITS }: { limits?: ImportLimits }) {
  const volunteer = app.requireRole('volunteer')

  // The upload is read as it arrives, row by row, rather than whole as other forms are (src/plugins/form-body.plugin.ts):
  // here, in this module's scope only, the body is left to the route. The form plugin then sees an empty form.
  app.removeContentTypeParser('multipart/form-data')
  app.addContentTypeParser('multipart/form-data', (request: FastifyRequest, payload: Readable, done: (error: Error | null, body?: unknown) => void) => {
    uploads.set(request, payload)
    done(null, {})
  })

  app.post<{ Querystring: ImportQuery }>(
    '/v1/imports',
    {
      onRequest: volunteer,
      validatorCompiler,
      schema: {
        tags: ['imports'],
        summary: 'Import people from a spreadsheet',
        operationId: 'importPrisoners',
        security: BEARER_SECURITY,
        description: DESCRIPTION(limits),
        querystring: dtoSchema(ImportQuery),
        body: {
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['file'],
                properties: { file: { type: 'string', format: 'binary', description: 'The .csv or .xlsx file: a header row, then one person a row' } },
              },
            },
          },
        },
        response: {
          200: dryRunResponse(named('ImportRun', 'Imported: what became of each row (submitted, skipped or failed, with its problems)')),
          ...problems(400, 401, 403, 404, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const payload = uploads.get(request)
      if (!payload) throw new ProblemError('missing-body', 'The request has no file: upload a .csv or .xlsx file as the form field `file`.', [{ path: 'file', message: 'is missing' }])
      const dryRun = dryRunOf(request.query, reply)
      const caller = request.apiKey!
      const run = await readUpload(payload, request.headers, limits.maxBytes, async (upload) => {
        const format = sheetFormat(upload.filename, upload.mimetype)
        if (!format) {
          throw new ProblemError('validation-failed', `file must be a .csv or .xlsx file; "${upload.filename}" is neither.`, [
            { path: 'file', message: `must be a .csv or .xlsx file; "${upload.filename}" is neither` },
          ])
        }
        const run = new ImportRun(app.db, caller, limits, { dryRun, id: request.query.importId ?? newId(), fileName: upload.filename })
        await run.start()
        await run.readAll(upload.stream, format)
        if (upload.truncated()) {
          throw new ProblemError('payload-too-large', `The file is larger than ${limits.maxBytes} bytes, more than one import takes: split it into several files.`)
        }
        return run
      })
      const report = { ...run.result, rows: run.rows }
      if (!dryRun) return reply.code(200).send(report)
      if (run.result.failed === 0) return sendDryRun(reply, `submit ${run.result.submitted} rows and skip ${run.result.skipped}`, report)
      const errors = run.result.problems.map((problem) => ({ path: problemPath(problem), message: problem.message }))
      const more = run.problemsFound - errors.length
      throw new ProblemError(
        'validation-failed',
        `${run.result.failed} of ${run.result.rowsRead} rows have problems, each named in errors at /rows/<row>/<column>${more > 0 ? ` (the first ${errors.length}; ${more} more)` : ''}; ` +
          `nothing was saved. The other rows would be submitted (${run.result.submitted}) or skipped as sent before (${run.result.skipped}).`,
        errors,
      )
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/imports/:id',
    {
      onRequest: volunteer,
      schema: {
        tags: ['imports'],
        summary: "An import's progress",
        operationId: 'getImport',
        security: BEARER_SECURITY,
        description:
          'How far an import has gone (rows read, submitted, skipped, failed) and the problems of its failed rows, by row and column; ' +
          'readable while it runs. Only the key that sent it and editors read it.',
        params: dtoSchema(IdParams),
        response: { 200: named('ImportProgress', 'The import'), ...notModified, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store')
      return reply.send(await readImport(app.db, request.apiKey!, request.params.id))
    },
  )
}
