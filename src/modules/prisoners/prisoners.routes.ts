import { PRISONER_FIELDS } from '../../core/document/fields'
import { IF_MATCH_HEADER } from '../../shared/etag'
import { dryRunOf, sendDryRun } from '../../shared/dry-run'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ProblemError } from '../../errors'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema, formSchema } from '../../shared/dto'
import { DryRunQuery, IdParams } from '../../shared/paging.dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, dryRunResponse, etagHeader, named, notModified, problems, reviewStatusHeader, withLinkedData } from '../../shared/response-schemas'
import { DeleteQuery, ListPrisonersQuery, PrisonerChangeFormDto, PrisonerFormDto, PrisonerWriteDto, RecordForm, RecordShapeQuery } from './prisoners.dto'
import { RESTORE_EXAMPLE, StateChangeDto } from '../../shared/state-change.dto'
import { reshape, shapeOf } from './prisoners.shape'
import { linkNext } from '../../shared/link-header'
import { isPublished, startingReviewStatus } from '../../core/access/access'
import { recordAs } from '../../core/access/public-view'
import { checkWrite, inFormFields, warningsInFormFields, writeFromForm } from './prisoners.form'
import { unsupportedValues } from '../../core/evidence/value-support'
import { PrisonersRepository } from './prisoners.repository'
import { PrisonersService } from './prisoners.service'
import { readableDocument, sendLinkedRecord, sendRecord, wantsLinkedData } from '../../plugins/record-reply'
import { WRITE_EXAMPLES } from './prisoners.examples'
import { actorOf } from '../../core/access/actors'

const dryRunQuery = dtoSchema(DryRunQuery)
const recordResponse = (description: string, headers: Record<string, unknown> = {}) => named('Prisoner', description, { ...etagHeader, ...headers })
/** A write's answer: the record and its `warnings` (values no quote of theirs seems to say). */
const writtenResponse = (description: string, headers: Record<string, unknown> = {}) => named('WrittenPrisoner', description, { ...etagHeader, ...headers })


const FORM_HELP =
  ' As a form (choose multipart/form-data or x-www-form-urlencoded in the list above the fields): `sourceId` names the ' +
  'source every quote comes from, then each value goes with its quote (`name` and `nameQuote`, …); leave a value empty to skip it.'

/** The body of a write: JSON, or the flat form, each documented and validated by its own DTO. */
function writeBody(examples: unknown[], formDto: typeof RecordForm) {
  const form = formSchema(formDto)
  return {
    content: {
      'application/json': { schema: dtoSchema(PrisonerWriteDto, { examples }) },
      'multipart/form-data': form,
      'application/x-www-form-urlencoded': form,
    },
  }
}

type WriteBody = PrisonerWriteDto | RecordForm

export default async function prisonersRoutes(app: FastifyInstance) {
  const service = new PrisonersService(app.db)
  const repository = new PrisonersRepository(app.db)
  const idParams = dtoSchema(IdParams)
  const volunteer = app.requireRole('volunteer')
  const editor = app.requireRole('editor')
  const caller = (request: FastifyRequest) => request.apiKey!
  /**
   * The write a request asks for. A form is checked, evidence included, and answered in its own fields. JSON
   * whose shape is wrong is answered with its evidence problems as well, in one answer (the route attaches the
   * shape errors instead of throwing them); valid JSON goes on as it came.
   */
  const writeInput = async (request: FastifyRequest<{ Body: WriteBody }>): Promise<PrisonerWriteDto> => {
    const shape = request.validationError as (Error & { validationContext?: string }) | undefined
    if (shape) {
      const json = /^application\/json/.test(request.headers['content-type'] ?? '')
      if (shape.validationContext !== 'body' || !json || !(shape instanceof ProblemError) || !shape.errors) throw shape
      return checkWrite(app.db, request.body, request.apiKey, { shape: shape.errors })
    }
    return request.body instanceof RecordForm ? writeFromForm(app.db, request.body, request.apiKey) : request.body
  }
  /** The values of a write that no quote of theirs seems to say, at their form fields when it came as a form. */
  const warningsOf = (body: WriteBody, input: PrisonerWriteDto) => {
    const warnings = unsupportedValues({ ...input })
    return body instanceof RecordForm ? warningsInFormFields(warnings) : warnings
  }
  const answeredInForm = async <T>(body: WriteBody, write: () => Promise<T>): Promise<T> => {
    try {
      return await write()
    } catch (error) {
      throw body instanceof RecordForm ? inFormFields(error) : error
    }
  }

  app.get<{ Querystring: ListPrisonersQuery }>(
    '/v1/prisoners',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'List and search records',
        operationId: 'listPrisoners',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'Published records, 50 a page by default, each value with its citations. `q` finds a name in any spelling or ' +
          'script and ranks the results (each says which name matched); the other parameters filter, `nationality`, `status` and ' +
          '`destination` by any of several values (`nationality=BY,PL`, or the parameter repeated). Follow `next` (or the ' +
          '`Link: <…>; rel="next"` header) for the following page. `fields=name,status` answers only those fields of each record ' +
          '(and `id`), which the required fields of the schema then are not; `lang=be` (or Accept-Language) adds `labels`. ' +
          '`wikidata=Q…` (or `identifier=scheme:id`) finds the record that carries that id of another registry among its public `identifiers`.',
        querystring: dtoSchema(ListPrisonersQuery),
        response: { 200: named('PrisonerPage', 'A page of records'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const page = linkNext(reply.header('vary', 'Accept-Language'), await repository.list(request.query))
      const shape = shapeOf(request.query, request.headers['accept-language'])
      // A shaped page's ETag is that of its bytes (the caching hook): each selection and language its own.
      if (shape === null) reply.header('etag', page.etag)
      const items = shape === null ? page.items : page.items.map((item) => reshape(item, shape))
      return reply.type('application/json').send(`{"data":[${items.join(',')}],"next":${JSON.stringify(page.next)}}`)
    },
  )

  app.get<{ Params: IdParams; Querystring: RecordShapeQuery }>(
    '/v1/prisoners/:id',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Read one record',
        operationId: 'getPrisoner',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'Every field with its preferred value, the citations behind it, and the alternatives other sources give. ' +
          'With a key, the records you submitted are readable too while they wait for review or after a rejection (a volunteer ' +
          'follows a submission this way); with an editor key, every record, deleted ones included. Their state is in the ' +
          '`Review-Status` and `Deleted-At` headers. `fields` and `lang` shape the answer as in `GET /v1/prisoners`; its ETag is ' +
          "then that of the shaped answer, not the one If-Match needs. With `Accept: application/ld+json`, the record as schema.org " +
          'linked data (a `Person`, its `nationality` a `Country`, its release an `Event`, each cited value a `Claim` whose ' +
          '`citation`s are `CreativeWork`s with the quote, part of the source): always the public record, whatever the key.',
        params: idParams,
        querystring: dtoSchema(RecordShapeQuery),
        response: {
          200: withLinkedData(
            recordResponse('The record', {
              ...reviewStatusHeader,
              'Deleted-At': { type: 'string', format: 'date-time', description: 'Sent with an editor key when the record is deleted' },
            }),
          ),
          ...notModified,
          ...problems(400, 404, ...ANY_REQUEST),
        },
      },
    },
    async (request, reply) => {
      const record = await repository.findReadable(request.params.id, request.apiKey)
      // The same URL answers JSON or JSON-LD, with labels in a language or without: shared caches keep them apart.
      reply.header('vary', 'Accept, Accept-Language')
      if (wantsLinkedData(request)) return sendLinkedRecord(reply, app.db, record)
      if (request.apiKey) {
        reply.header('review-status', record.reviewStatus)
        if (record.deletedAt) reply.header('deleted-at', record.deletedAt)
      }
      const shape = shapeOf(request.query, request.headers['accept-language'])
      if (shape === null) return sendRecord(reply, record)
      // Not the record's ETag (If-Match needs that one): the tag of these bytes, set by the caching hook.
      return reply.type('application/json').send(reshape(recordAs(request.apiKey, record).document, shape))
    },
  )

  app.post<{ Body: WriteBody; Querystring: DryRunQuery }>(
    '/v1/prisoners',
    {
      onRequest: volunteer,
      // Shape errors reach the handler, which answers them with the evidence problems (writeInput).
      attachValidation: true,
      schema: {
        tags: ['prisoners'],
        summary: 'Add a record',
        operationId: 'createPrisoner',
        description:
          `Send any of the fields ${PRISONER_FIELDS.map((field) => `\`${field}\``).join(', ')}, each as ` +
          '`{ "value": …, "citations": [{ "sourceId": "…", "quote": "…" }] }`. **Every non-null value needs at least one ' +
          "citation** naming a source (see GET /v1/sources) and quoting its exact words; when the source has archived " +
          'text the quote must occur in it. Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; countries are two-letter codes ' +
          '(`BY`, `LT`); `identifiers` is a list of the person\'s ids in other registries, `[{ "scheme": "wikidata", "id": "Q42" }]`, ' +
          "cited like any value (the Wikidata item's page captured as a source, say). A volunteer's record waits for an editor's review before it is public (`Review-Status: pending`; " +
          "read it with your key at its `Location`); an editor's is public at once (`Review-Status: published`)." +
          FORM_HELP,
        security: BEARER_SECURITY,
        querystring: dryRunQuery,
        body: writeBody(WRITE_EXAMPLES.create, PrisonerFormDto),
        response: {
          200: dryRunResponse(),
          201: writtenResponse('Created', { Location: { type: 'string', description: 'The URL of the new record' }, ...reviewStatusHeader }),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const dryRun = dryRunOf(request.query, reply)
      const input = await writeInput(request)
      const record = await answeredInForm(request.body, () =>
        service.create(input, {
          actor: actorOf(caller(request)),
          submittedBy: caller(request).id,
          reviewStatus: startingReviewStatus(caller(request)),
          caller: caller(request),
          dryRun,
        }),
      )
      const warnings = warningsOf(request.body, input)
      if (dryRun) {
        const would = isPublished({ ...record, deletedAt: null }) ? 'add this record, public at once' : "add this record, to wait for an editor's review before it is public"
        return sendDryRun(reply, would, readableDocument(reply, record), { made: true, warnings })
      }
      return sendRecord(reply.header('location', `/v1/prisoners/${record.id}`).header('review-status', record.reviewStatus), record, 201, warnings)
    },
  )

  app.patch<{ Params: IdParams; Body: WriteBody; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id',
    {
      onRequest: volunteer,
      attachValidation: true,
      schema: {
        tags: ['prisoners'],
        summary: 'Change fields of a record (editors) or propose a change (volunteers)',
        operationId: 'updatePrisoner',
        description:
          'Each field sent replaces that field: its value becomes the preferred claim, the alternatives sent become its ' +
          'alternatives, and what it had before is kept, deprecated, in the history. Needs `If-Match` with the ETag you read. ' +
          "An editor's change applies at once (200). A volunteer's is checked the same way and then held as a proposal " +
          'for an editor (202, with the proposal).' +
          FORM_HELP +
          ' The change form starts empty: only the fields you fill in change; an empty field leaves its value as it is.',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        querystring: dryRunQuery,
        body: writeBody(WRITE_EXAMPLES.patch, PrisonerChangeFormDto),
        response: {
          200: dryRunResponse(writtenResponse('Changed (or unchanged: the same ETag when nothing differs)')),
          202: named('Proposal', 'Held for review', { Location: { type: 'string', description: 'The URL of the proposal' } }),
          ...problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const input = await writeInput(request)
      const dryRun = dryRunOf(request.query, reply)
      if (app.hasRole(request, 'editor')) {
        const record = await answeredInForm(request.body, () => service.update(id, request.headers['if-match'], input, caller(request), { dryRun }))
        const warnings = warningsOf(request.body, input)
        return dryRun ? sendDryRun(reply, 'change the record at once', readableDocument(reply, record), { warnings }) : sendRecord(reply, record, 200, warnings)
      }
      const proposal = await answeredInForm(request.body, () => service.propose(id, request.headers['if-match'], input, caller(request), { dryRun }))
      if (dryRun) return sendDryRun(reply, "propose this change, held for an editor's review (the record stays as it is until then)", proposal, { made: true })
      return reply.code(202).header('location', `/v1/proposals/${proposal.id}`).send(proposal)
    },
  )

  app.delete<{ Params: IdParams; Querystring: DeleteQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id',
    {
      onRequest: editor,
      schema: {
        tags: ['prisoners'],
        summary: 'Delete a record (soft)',
        operationId: 'deletePrisoner',
        description: 'The record leaves public reads; its claims, citations and history stay, and an editor can restore it. Needs `If-Match`.',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        querystring: dtoSchema(DeleteQuery),
        response: { 200: dryRunResponse(), 204: { type: 'null', description: 'Deleted' }, ...problems(400, 401, 403, 404, 412, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const { comment } = request.query
      const dryRun = dryRunOf(request.query, reply)
      if (request.body !== undefined && request.body !== null) {
        throw new ProblemError('validation-failed', 'A DELETE takes no body: its comment goes in the query string.', [
          { path: '', message: 'send the comment as ?comment=… in the query string' },
        ])
      }
      await service.remove(id, request.headers['if-match'], caller(request), comment, { dryRun })
      if (dryRun) return sendDryRun(reply, 'delete the record (an editor could restore it)')
      return reply.code(204).send()
    },
  )

  app.post<{ Params: IdParams; Body: StateChangeDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/restore',
    {
      onRequest: editor,
      schema: {
        tags: ['prisoners'],
        summary: 'Restore a deleted record',
        operationId: 'restorePrisoner',
        description: 'Brings a deleted record back into reads, as it was. Needs `If-Match` with the ETag of the deleted record (editors can GET it).',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        querystring: dryRunQuery,
        body: dtoSchema(StateChangeDto, RESTORE_EXAMPLE),
        response: { 200: dryRunResponse(recordResponse('Restored')), ...problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const { comment } = request.body
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.restore(id, request.headers['if-match'], caller(request), comment, { dryRun })
      return dryRun ? sendDryRun(reply, 'restore the record', readableDocument(reply, record)) : sendRecord(reply, record)
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/prisoners/:id/history',
    {
      schema: {
        tags: ['prisoners'],
        summary: "A record's history",
        operationId: 'getPrisonerHistory',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'Every revision, newest first: version, action, who, when, why, and each changed field before and after, ' +
          'citations included. With a key, also of the records you submitted that wait for review or were rejected; with an editor key, of every record.',
        params: idParams,
        response: { 200: named('RevisionList', 'Its revisions, newest first'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { id } = request.params
      await repository.findReadable(id, request.apiKey)
      return { data: await repository.history(id, request.apiKey) }
    },
  )
}
