import { linkNext } from '../../shared/link-header'
import type { FastifyInstance } from 'fastify'
import { dryRunOf, sendDryRun } from '../../shared/dry-run'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema, formSchema } from '../../shared/dto'
import { DryRunQuery, IdParams } from '../../shared/paging.dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, dryRunResponse, named, notModified, problems } from '../../shared/response-schemas'
import { CreateRedactionDto, CreateSourceDto, ListSourcesQuery, PassagesQuery, RedactionParams, SourceFormDto, SourceTextFormDto } from './sources.dto'
import { RedactionsService } from './redactions.service'
import { sourceFromForm } from './sources.form'
import { SourcesService } from './sources.service'
import { actorOf } from '../../core/access/actors'
import { ProblemError } from '../../errors'

export default async function sourcesRoutes(app: FastifyInstance) {
  const service = new SourcesService(app.db)
  const redactions = new RedactionsService(app.db)
  const idParams = dtoSchema(IdParams)
  const editor = app.requireRole('editor')

  app.get<{ Querystring: ListSourcesQuery }>(
    '/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'List sources',
        operationId: 'listSources',
        security: OPTIONAL_BEARER_SECURITY,
        description: 'Every source citations may point into, oldest first. Use their ids as `sourceId` in citations.',
        querystring: dtoSchema(ListSourcesQuery),
        response: { 200: named('SourcePage', 'A page of sources'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const { limit, cursor } = request.query
      return linkNext(reply, await service.list(request.apiKey, limit, cursor))
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/sources/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'Read one source',
        operationId: 'getSource',
        security: OPTIONAL_BEARER_SECURITY,
        description: 'Its metadata, and whether its text is archived (with its length and SHA-256); the text itself is at /content.',
        params: idParams,
        response: { 200: named('Source', 'The source'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => service.findOrFail(request.params.id, request.apiKey),
  )

  app.get<{ Params: IdParams }>(
    '/v1/sources/:id/content',
    {
      schema: {
        tags: ['sources'],
        summary: "A source's archived text",
        operationId: 'getSourceContent',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'The text exactly as archived (text/plain, UTF-8). Citation offsets count Unicode code points into it. ' +
          'The Repr-Digest header carries its SHA-256 (RFC 9530), so an auditor can check it was not altered. ' +
          'Redacted spans read as █ (but to editors), one per character: offsets hold.',
        params: idParams,
        response: {
          200: {
            description: 'The archived text',
            headers: { 'Repr-Digest': { type: 'string', description: 'sha-256=:<base64 of the SHA-256 of the text>: (RFC 9530)' } },
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
          ...notModified,
          ...problems(400, 404, ...ANY_REQUEST),
        },
      },
    },
    async (request, reply) => {
      const { content, sha256 } = await service.content(request.params.id, request.apiKey)
      reply.header('repr-digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`)
      return reply.type('text/plain; charset=utf-8').send(content)
    },
  )

  app.get<{ Params: IdParams; Querystring: PassagesQuery }>(
    '/v1/sources/:id/passages',
    {
      schema: {
        tags: ['sources'],
        summary: 'Find the sentences to quote',
        operationId: 'getSourcePassages',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          "Type a few words you remember (a name, a date): you get the source's sentences that hold all of them, exactly " +
          'as archived, with their offsets. Copy a sentence, or the part of it that supports your value, into `quote`.',
        params: idParams,
        querystring: dtoSchema(PassagesQuery),
        response: { 200: named('Passages', 'The sentences, in the order of the text'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => service.passages(request.params.id, request.query.text, request.apiKey, request.query.limit),
  )

  app.post<{ Body: CreateSourceDto | SourceTextFormDto; Querystring: DryRunQuery }>(
    '/v1/sources',
    {
      onRequest: app.requireRole('volunteer'),
      schema: {
        tags: ['sources'],
        security: BEARER_SECURITY,
        summary: 'Add a source',
        operationId: 'createSource',
        description:
          'Archive a source before citing it. With `content` (the whole text), quotes citing it are checked against ' +
          'that text and located; without, its citations are accepted as given and carry no offsets. ' +
          'As a form (choose multipart/form-data in the list above the fields), paste the text in `content` as it is, or ' +
          'upload it as a .txt or .html `file`; leave a field empty to skip it.',
        querystring: dtoSchema(DryRunQuery),
        body: {
          content: {
            'application/json': { schema: dtoSchema(CreateSourceDto) },
            'multipart/form-data': formSchema(SourceFormDto),
            'application/x-www-form-urlencoded': formSchema(SourceTextFormDto),
          },
        },
        response: {
          200: dryRunResponse(),
          201: named('Source', 'Archived', { Location: { type: 'string', description: 'The URL of the new source' } }),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const dryRun = dryRunOf(request.query, reply)
      const input = request.body instanceof SourceTextFormDto ? sourceFromForm(request.body) : request.body
      if (input.private && !app.hasRole(request, 'editor')) {
        throw new ProblemError('forbidden', 'Only editors add private sources: they alone will read it. Send it to an editor, or leave private out.', [
          { path: request.body instanceof SourceTextFormDto ? 'private' : '/private', message: 'only an editor key may add a private source' },
        ])
      }
      const source = await service.create(input, { actor: actorOf(request.apiKey!), dryRun })
      if (dryRun) return sendDryRun(reply, 'archive this source', source, { made: true })
      return reply.code(201).header('location', `/v1/sources/${source.id}`).send(source)
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/sources/:id/redactions',
    {
      onRequest: editor,
      schema: {
        tags: ['sources'],
        summary: "A source's redactions",
        operationId: 'listSourceRedactions',
        security: BEARER_SECURITY,
        description: 'What everyone but editors reads as █.',
        params: idParams,
        response: { 200: named('RedactionList', 'In text order'), ...notModified, ...problems(400, 403, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => ({ data: await redactions.list((await service.findOrFail(request.params.id, request.apiKey)).id) }),
  )

  app.post<{ Params: IdParams; Body: CreateRedactionDto }>(
    '/v1/sources/:id/redactions',
    {
      onRequest: editor,
      schema: {
        tags: ['sources'],
        summary: "Redact a source's public text",
        operationId: 'redactSource',
        security: BEARER_SECURITY,
        description:
          "Where a withheld value's words stay (the withhold answer lists where): everyone but editors reads them as █ in " +
          'the text, passages and quotes (without offsets). Editors and the audit read the text whole.',
        params: idParams,
        body: dtoSchema(CreateRedactionDto),
        response: { 201: named('Redaction', 'Redacted'), ...problems(400, 403, 404, 413, 415, 422, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      await service.findOrFail(request.params.id, request.apiKey)
      return reply.code(201).send(await redactions.create(request.params.id, request.body, request.apiKey!.name))
    },
  )

  app.delete<{ Params: RedactionParams }>(
    '/v1/sources/:id/redactions/:redactionId',
    {
      onRequest: editor,
      schema: {
        tags: ['sources'],
        summary: 'Remove a redaction',
        operationId: 'removeSourceRedaction',
        security: BEARER_SECURITY,
        description: 'Everyone reads the span again.',
        params: dtoSchema(RedactionParams),
        response: { 204: { type: 'null', description: 'Removed' }, ...problems(400, 403, 404, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      await redactions.remove(request.params.id, request.params.redactionId)
      return reply.code(204).send()
    },
  )
}
