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
import { Capture, capture } from '../../core/capture/captures'
import { CaptureSettings, DEFAULT_CAPTURE_SETTINGS } from '../../core/capture/fetch-page'

export default async function sourcesRoutes(app: FastifyInstance, { capture: settings = DEFAULT_CAPTURE_SETTINGS }: { capture?: CaptureSettings }) {
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
          'upload it as a .txt or .html `file`; leave a field empty to skip it. ' +
          'Or give only `url`, `kind` and `capture: true`: the registry fetches the page (public http(s) addresses only, ' +
          'redirects followed), keeps it as a WARC file (`/capture.warc`) and archives its article\'s readable text. An ' +
          'address refused is a 422 (`address-refused`) naming `url`; a server that fails or cannot be reached a 502 ' +
          '(`upstream-failed`), one too slow a 504 (`upstream-timeout`).',
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
          ...problems(400, 401, 403, 409, 413, 415, 422, 429, 502, 504),
        },
      },
    },
    async (request, reply) => {
      const dryRun = dryRunOf(request.query, reply)
      const form = request.body instanceof SourceTextFormDto
      const input = form ? sourceFromForm(request.body as SourceTextFormDto) : (request.body as CreateSourceDto)
      // A form names its fields as they are; JSON by pointer.
      const field = (name: string) => (form ? name : `/${name}`)
      if (input.private && !app.hasRole(request, 'editor')) {
        throw new ProblemError('forbidden', 'Only editors add private sources: they alone will read it. Send it to an editor, or leave private out.', [
          { path: field('private'), message: 'only an editor key may add a private source' },
        ])
      }
      let captured: Capture | undefined
      if (input.capture) {
        const textField = form && (request.body as SourceFormDto).file !== undefined ? 'file' : field('content')
        const errors = [
          ...(input.url === undefined ? [{ path: field('url'), message: 'url is needed to capture the source: give its address' }] : []),
          ...(input.content !== undefined ? [{ path: textField, message: 'must be left out when the source is captured from its address' }] : []),
        ]
        if (errors.length) {
          throw new ProblemError('validation-failed', `${errors.length} problem${errors.length === 1 ? '' : 's'} in ${form ? 'the form' : 'the request'}: ${errors.map((e) => e.message).join('; ')}.`, errors)
        }
        // Before the transaction, never inside it: a slow server must not hold the database's writer.
        captured = await capture(input.url!, settings, field('url'))
      }
      const source = await service.create(input, { actor: actorOf(request.apiKey!), dryRun, captured })
      if (dryRun) return sendDryRun(reply, 'archive this source', source, { made: true })
      return reply.code(201).header('location', `/v1/sources/${source.id}`).send(source)
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/sources/:id/capture.warc',
    {
      schema: {
        tags: ['sources'],
        summary: "A source's captures, as WARC",
        operationId: 'getSourceCaptureWarc',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'What its address served each time the registry fetched it, as one WARC/1.1 file (application/warc): for each ' +
          'capture a warcinfo record, then the request sent and the response got for each hop (redirects first), headers ' +
          'and body as they came, with their time, the address connected to and SHA-256 digests. Read it with any WARC ' +
          'tool (warcio, pywb, ReplayWeb.page). Whoever reads the source reads it, except that once an editor redacted ' +
          "spans of the source's text only editors do: the page holds those words whole. 404 for a source never captured.",
        params: idParams,
        response: {
          200: { description: 'The WARC file', content: { 'application/warc': { schema: { type: 'string', format: 'binary' } } } },
          ...notModified,
          ...problems(400, 404, ...ANY_REQUEST),
        },
      },
    },
    async (request, reply) => {
      const file = await service.warc(request.params.id, request.apiKey)
      return reply
        .type('application/warc')
        .header('content-disposition', `attachment; filename="source-${request.params.id}.warc"`)
        .send(file)
    },
  )

  app.post<{ Params: IdParams }>(
    '/v1/sources/:id/captures',
    {
      onRequest: app.requireRole('volunteer'),
      schema: {
        tags: ['sources'],
        summary: "Capture a source's address again",
        operationId: 'recaptureSource',
        security: BEARER_SECURITY,
        description:
          "Fetches the source's `url` again (editors, and the key that added the source) and adds the capture to its WARC " +
          "file. The answer says whether the page's readable text changed. The source's archived text stays as it was: " +
          'the quotes of its citations were checked against it and point into it; the new text is kept with the capture. ' +
          'Refusals and failures are those of adding a source by capture (422, 502, 504).',
        params: idParams,
        response: { 201: named('Recapture', 'Captured'), ...problems(400, 401, 403, 404, 422, 429, 502, 504) },
      },
    },
    async (request, reply) => {
      const { url } = await service.forRecapture(request.params.id, request.apiKey)
      const captured = await capture(url, settings, 'url')
      return reply.code(201).send(await service.recapture(request.params.id, captured, actorOf(request.apiKey!)))
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
