import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { etagHeader, problems } from '../../shared/response-schemas'
import { PrisonerField } from '../../core/record/fields'
import { PrisonersRepository } from '../prisoners/prisoners.repository'
import { citationSchema, prisonerSchema } from '../prisoners/prisoners.schemas'
import { AddClaimDto, FieldParams, RankClaimDto } from './claims.dto'
import { ClaimsService } from './claims.service'

const claimSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    value: {},
    rank: { type: 'string', enum: ['preferred', 'normal', 'deprecated'] },
    reason: { type: ['string', 'null'], description: 'Why an editor ranked it so, or why it was superseded' },
    introducedIn: { type: ['integer', 'null'], description: 'The version whose revision introduced it (see the history)' },
    createdAt: { type: 'string' },
    citations: { type: 'array', items: citationSchema },
  },
}
const ifMatch = { type: 'object', properties: { 'if-match': { type: 'string', description: 'The ETag of the record as you read it' } } }

/** The claims behind one field: every value sources gave, how each is ranked, and why. */
export default async function claimsRoutes(app: FastifyInstance) {
  const service = new ClaimsService(app.db)
  const repository = new PrisonersRepository(app.db)
  const editor = app.requireRole('editor')
  const params = dtoSchema(FieldParams)


  app.get(
    '/v1/prisoners/:id/fields/:field',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every claim of one field',
        description:
          'The preferred claim, the alternatives, and the deprecated ones that default reads leave out, each with its ' +
          'citations, the reason for its rank and the version that introduced it.',
        params,
        response: { 200: { type: 'object', properties: { field: { type: 'string' }, claims: { type: 'array', items: claimSchema } } }, ...problems(400, 404) },
      },
    },
    async (request) => {
      const { id, field } = request.params as FieldParams
      repository.findReadable(id, request.apiKey)
      return { field, claims: service.list(id, field) }
    },
  )

  app.post(
    '/v1/prisoners/:id/fields/:field/claims',
    {
      onRequest: editor,
      schema: {
        tags: ['audit'],
        summary: 'Add an alternative claim to a field',
        description: 'Records what another source says, with its citations, beside the preferred value. Needs `If-Match`.',
        security: BEARER_SECURITY,
        params,
        headers: ifMatch,
        body: dtoSchema(AddClaimDto),
        response: { 201: { ...prisonerSchema, headers: etagHeader }, ...problems(400, 401, 403, 404, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id, field } = request.params as FieldParams
      const record = await service.addAlternative(id, field as PrisonerField, request.headers['if-match'], request.body as AddClaimDto, request.apiKey!)
      return reply.code(201).header('etag', record.etag).type('application/json').send(record.document)
    },
  )

  app.post(
    '/v1/prisoners/:id/fields/:field/rank',
    {
      onRequest: editor,
      schema: {
        tags: ['audit'],
        summary: 'Choose the preferred claim, or re-rank one',
        description:
          "An editor's decision between disagreeing sources, with the reason, which is kept on the claim and in the " +
          'history. Needs `If-Match`: a decision on a record that changed since you read it is refused (412).',
        security: BEARER_SECURITY,
        params,
        headers: ifMatch,
        body: dtoSchema(RankClaimDto),
        response: { 200: { ...prisonerSchema, headers: etagHeader }, ...problems(400, 401, 403, 404, 409, 412, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id, field } = request.params as FieldParams
      const record = await service.rank(id, field as PrisonerField, request.headers['if-match'], request.body as RankClaimDto, request.apiKey!)
      return reply.header('etag', record.etag).type('application/json').send(record.document)
    },
  )
}
