import type { FastifyInstance, FastifyReply } from 'fastify'
import { ProblemError } from '../../errors'
import { dtoSchema } from '../../shared/dto'
import { cursorPage, etagHeader, problems } from '../../shared/response-schemas'
import { ListPrisonersQuery, PrisonerIdParams, PrisonerWriteDto } from './prisoners.dto'
import { PrisonersRepository } from './prisoners.repository'
import { prisonerSchema, revisionSchema, searchResultSchema } from './prisoners.schemas'
import { PrisonersService, WrittenRecord } from './prisoners.service'

// Until API keys exist (issue #3), writes are recorded under this actor.
const ANONYMOUS = 'anonymous'

const ifMatch = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'The ETag of the record as you read it' } },
}

function sendRecord(reply: FastifyReply, record: { document: string; etag: string }, status = 200) {
  return reply.code(status).header('etag', record.etag).type('application/json').send(record.document)
}

export default async function prisonersRoutes(app: FastifyInstance) {
  const service = new PrisonersService(app.db)
  const repository = new PrisonersRepository(app.db)
  const idParams = dtoSchema(PrisonerIdParams)

  app.get(
    '/v1/prisoners',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'List and search records',
        description:
          'Published records, 50 a page by default, each value with its citations. `q` finds a name in any spelling or ' +
          'script and ranks the results; the other parameters filter. Follow `next` for the following page.',
        querystring: dtoSchema(ListPrisonersQuery),
        response: { 200: cursorPage(searchResultSchema), ...problems(400) },
      },
    },
    async (request, reply) => {
      const page = repository.list(request.query as ListPrisonersQuery)
      return reply.type('application/json').send(`{"data":[${page.items.join(',')}],"next":${JSON.stringify(page.next)}}`)
    },
  )

  app.get(
    '/v1/prisoners/:id',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Read one record',
        description: 'Every field with its preferred value, the citations behind it, and the alternatives other sources give.',
        params: idParams,
        response: { 200: { ...prisonerSchema, headers: etagHeader }, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as PrisonerIdParams
      const record = repository.findPublished(id)
      if (!record) throw new ProblemError('not-found', `No record with id ${id}.`)
      return sendRecord(reply, record)
    },
  )

  app.post(
    '/v1/prisoners',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Add a record',
        description:
          'Send any of the fields, each as `{ value, citations }`. Every non-null value needs at least one citation ' +
          "naming a source and quoting its exact words; when the source has archived text the quote must occur in it.",
        body: dtoSchema(PrisonerWriteDto),
        response: { 201: { ...prisonerSchema, headers: etagHeader }, ...problems(400, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const record: WrittenRecord = await service.create(request.body as PrisonerWriteDto, { actor: ANONYMOUS })
      reply.header('location', `/v1/prisoners/${record.id}`)
      return sendRecord(reply, record, 201)
    },
  )

  app.patch(
    '/v1/prisoners/:id',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Change fields of a record',
        description:
          'Each field sent replaces that field: its value becomes the preferred claim, the alternatives sent become its ' +
          'alternatives, and what it had before is kept, deprecated, in the history. Needs `If-Match` with the ETag you read.',
        params: idParams,
        headers: ifMatch,
        body: dtoSchema(PrisonerWriteDto),
        response: { 200: { ...prisonerSchema, headers: etagHeader }, ...problems(400, 404, 412, 413, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as PrisonerIdParams
      const record = await service.update(id, request.headers['if-match'], request.body as PrisonerWriteDto, {
        actor: ANONYMOUS,
      })
      return sendRecord(reply, record)
    },
  )

  app.delete(
    '/v1/prisoners/:id',
    {
      schema: {
        tags: ['prisoners'],
        summary: 'Delete a record (soft)',
        description: 'The record leaves public reads; its claims, citations and history stay. Needs `If-Match`.',
        params: idParams,
        headers: ifMatch,
        response: { 204: { type: 'null', description: 'Deleted' }, ...problems(400, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      const { id } = request.params as PrisonerIdParams
      await service.remove(id, request.headers['if-match'], { actor: ANONYMOUS })
      return reply.code(204).send()
    },
  )

  app.get(
    '/v1/prisoners/:id/history',
    {
      schema: {
        tags: ['prisoners'],
        summary: "A record's history",
        description: 'Every revision, newest first: who, when, why, and each changed field before and after, citations included.',
        params: idParams,
        response: { 200: { type: 'object', properties: { data: { type: 'array', items: revisionSchema } } }, ...problems(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params as PrisonerIdParams
      if (!repository.findPublished(id)) throw new ProblemError('not-found', `No record with id ${id}.`)
      return { data: repository.history(id) }
    },
  )
}
