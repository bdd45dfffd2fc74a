import { IF_MATCH_HEADER } from '../../shared/etag'
import { dryRunOf, sendDryRun } from '../../shared/dry-run'
import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, dryRunResponse, etagHeader, named, notModified, problems } from '../../shared/response-schemas'
import { DryRunQuery } from '../../shared/paging.dto'
import { findReadableRecord } from '../../core/record/record-reads'
import { AddClaimDto, DiscloseDto, FieldParams, WithholdDto } from './claims.dto'
import { RankClaimDto } from '../../core/record/rank-claim.dto'
import { ClaimsService } from './claims.service'
import { readableDocument, sendRecord } from '../../plugins/record-reply'
import { recordAs } from '../../core/access/public-view'
import { withheldOccurrences } from '../../core/access/redactions'
import type { PrisonerDocument } from '../../core/document/fields'


/** The claims behind one field: every value sources gave, how each is ranked, and why. */
export default async function claimsRoutes(app: FastifyInstance) {
  const service = new ClaimsService(app.db)
  const editor = app.requireRole('editor')
  const params = dtoSchema(FieldParams)


  app.get<{ Params: FieldParams }>(
    '/v1/prisoners/:id/fields/:field',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every claim of one field',
        operationId: 'listFieldClaims',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'The preferred claim, the alternatives, and the deprecated ones that default reads leave out, each with its ' +
          'citations, the reason for its rank and the version that introduced it.',
        params,
        response: { 200: named('FieldClaims', 'Every claim of the field'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { id, field } = request.params
      const record = await findReadableRecord(app.db, id, request.apiKey)
      return service.list(id, field, record, request.apiKey)
    },
  )

  app.post<{ Params: FieldParams; Body: AddClaimDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/fields/:field/claims',
    {
      onRequest: editor,
      schema: {
        tags: ['audit'],
        summary: 'Add an alternative claim to a field',
        operationId: 'addFieldClaim',
        description: 'Records what another source says, with its citations, beside the preferred value. Needs `If-Match`.',
        security: BEARER_SECURITY,
        params,
        headers: IF_MATCH_HEADER,
        querystring: dtoSchema(DryRunQuery),
        body: dtoSchema(AddClaimDto),
        response: {
          200: dryRunResponse(),
          201: named('Prisoner', 'The record with the new alternative', etagHeader),
          ...problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429),
        },
      },
    },
    async (request, reply) => {
      const { id, field } = request.params
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.addAlternative(id, field, request.headers['if-match'], request.body, request.apiKey!, { dryRun })
      if (dryRun) return sendDryRun(reply, `add this alternative to ${field}`, readableDocument(reply, record))
      return sendRecord(reply, record, 201)
    },
  )

  app.post<{ Params: FieldParams; Body: RankClaimDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/fields/:field/rank',
    {
      onRequest: editor,
      schema: {
        tags: ['audit'],
        summary: 'Choose the preferred claim, or re-rank one',
        operationId: 'rankFieldClaim',
        description:
          "An editor's decision between disagreeing sources, with the reason, which is kept on the claim and in the " +
          'history. Needs `If-Match`: a decision on a record that changed since you read it is refused (412).',
        security: BEARER_SECURITY,
        params,
        headers: IF_MATCH_HEADER,
        querystring: dtoSchema(DryRunQuery),
        body: dtoSchema(RankClaimDto),
        response: {
          200: dryRunResponse(named('Prisoner', 'The record as ranked', etagHeader)),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429),
        },
      },
    },
    async (request, reply) => {
      const { id, field } = request.params
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.rank(id, field, request.headers['if-match'], request.body, request.apiKey!, { dryRun })
      if (dryRun) return sendDryRun(reply, `rank the claim of ${field} ${request.body.rank}`, readableDocument(reply, record))
      return sendRecord(reply, record)
    },
  )

  const withholding = {
    onRequest: editor,
    schema: {
      tags: ['audit'],
      security: BEARER_SECURITY,
      params,
      headers: IF_MATCH_HEADER,
      querystring: dtoSchema(DryRunQuery),
      response: {
        200: dryRunResponse(named('Prisoner', 'The record as an editor reads it', etagHeader)),
        ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429),
      },
    },
  }

  app.post<{ Params: FieldParams; Body: WithholdDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/fields/:field/withhold',
    {
      ...withholding,
      schema: {
        ...withholding.schema,
        summary: "Withhold a field's value from the public",
        operationId: 'withholdField',

        description:
          'When a family asks, or publishing a value would endanger someone. Afterwards only editors read the value, its ' +
          'alternatives and their citations; everyone else reads `value: null` with `withheld: { reason, since }`, in the record, ' +
          'lists, exports, history, the change feed, claims and a source\'s citations, and a search for it finds nothing. ' +
          'The comment is public (history). Needs `If-Match`. The answer adds `withheldWordsIn`: where the words stay in public ' +
          "sources' texts, to redact.",
        body: dtoSchema(WithholdDto),
      },
    },
    async (request, reply) => {
      const { id, field } = request.params
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.withhold(id, field, request.headers['if-match'], request.body, request.apiKey!, { dryRun })
      const { document, etag } = recordAs(request.apiKey, record)
      const whole = JSON.parse(document) as PrisonerDocument
      if (dryRun) return sendDryRun(reply, `withhold ${field} from the public`, { ...whole, withheldWordsIn: await withheldOccurrences(app.db, whole) })
      return reply.header('etag', etag).send({ ...whole, withheldWordsIn: await withheldOccurrences(app.db, whole) })
    },
  )

  app.post<{ Params: FieldParams; Body: DiscloseDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/fields/:field/disclose',
    {
      ...withholding,
      schema: {
        ...withholding.schema,
        summary: 'Publish a withheld value again',
        operationId: 'discloseField',
        description: 'Everyone reads the field again as it stands, with its claims and citations; search finds it again. The comment is public (history). Needs `If-Match`.',
        body: dtoSchema(DiscloseDto),
      },
    },
    async (request, reply) => {
      const { id, field } = request.params
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.disclose(id, field, request.headers['if-match'], request.body, request.apiKey!, { dryRun })
      return dryRun ? sendDryRun(reply, `publish ${field} again`, readableDocument(reply, record)) : sendRecord(reply, record)
    },
  )
}
