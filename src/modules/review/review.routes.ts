import { IF_MATCH_HEADER } from '../../shared/etag'
import { dryRunOf, sendDryRun } from '../../shared/dry-run'
import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { DryRunQuery, IdParams } from '../../shared/paging.dto'
import { dryRunResponse, etagHeader, named, notModified, problems } from '../../shared/response-schemas'
import { ReviewDecisionDto } from '../../shared/review-decision.dto'
import { ReviewService } from './review.service'
import { readableDocument, sendRecord } from '../../plugins/record-reply'

/** The review queue: what volunteers submitted, for editors to approve or reject. */
export default async function reviewRoutes(app: FastifyInstance) {
  const service = new ReviewService(app.db)
  const editor = app.requireRole('editor')
  const common = { tags: ['review'], security: BEARER_SECURITY }

  app.get(
    '/v1/review',
    {
      onRequest: editor,
      schema: {
        ...common,
        summary: 'What waits for review',
        operationId: 'listReviewQueue',
        description:
          'Records volunteers created, changes they proposed and events they added, oldest first. None of it is public until approved ' +
          '(`POST /v1/prisoners/{id}/review`, `/v1/proposals/{id}/review`, `/v1/events/{id}/review`).',
        response: { 200: named('ReviewQueue', 'What waits'), ...notModified, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return service.pending(request.apiKey!)
    },
  )

  app.post<{ Params: IdParams; Body: ReviewDecisionDto; Querystring: DryRunQuery; Headers: { 'if-match'?: string } }>(
    '/v1/prisoners/:id/review',
    {
      onRequest: editor,
      schema: {
        ...common,
        summary: "Approve or reject a volunteer's new record",
        operationId: 'reviewPrisoner',
        description: 'Approval publishes the record at once; rejection keeps it out of reads for good. Needs `If-Match`; recorded in its history.',
        params: dtoSchema(IdParams),
        headers: IF_MATCH_HEADER,
        querystring: dtoSchema(DryRunQuery),
        body: dtoSchema(ReviewDecisionDto),
        response: {
          200: dryRunResponse(named('Prisoner', 'The record as reviewed', etagHeader)),
          ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      const { decision, comment } = request.body
      const dryRun = dryRunOf(request.query, reply)
      const record = await service.reviewRecord(id, request.headers['if-match'], decision, request.apiKey!, comment, { dryRun })
      if (dryRun) return sendDryRun(reply, decision === 'approve' ? 'publish the record' : 'reject the record', readableDocument(reply, record))
      return sendRecord(reply, record)
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/proposals/:id',
    {
      onRequest: app.requireRole('volunteer'),
      schema: {
        ...common,
        summary: 'A proposed change and its outcome',
        operationId: 'getProposal',
        description: 'The fields a volunteer proposed, with their checked citations, and whether an editor approved or rejected them, when and why.',
        params: dtoSchema(IdParams),
        response: { 200: named('Proposal', 'The proposal'), ...notModified, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request) => service.proposal(request.params.id, request.apiKey),
  )

  app.post<{ Params: IdParams; Body: ReviewDecisionDto; Querystring: DryRunQuery }>(
    '/v1/proposals/:id/review',
    {
      onRequest: editor,
      schema: {
        ...common,
        summary: "Approve or reject a volunteer's proposed change",
        operationId: 'reviewProposal',
        description:
          'Approval applies the change to the record at once, as a revision by the editor that names the volunteer. ' +
          'It is refused (409) when a field it changes was changed by someone else since the proposal was made.',
        params: dtoSchema(IdParams),
        querystring: dtoSchema(DryRunQuery),
        body: dtoSchema(ReviewDecisionDto),
        response: {
          200: dryRunResponse(named('Proposal', 'The proposal as decided')),
          ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { decision, comment } = request.body
      const dryRun = dryRunOf(request.query, reply)
      const proposal = await service.reviewProposal(request.params.id, decision, request.apiKey!, comment, { dryRun })
      if (dryRun) return sendDryRun(reply, decision === 'approve' ? 'apply the proposed change to the record' : 'reject the proposal', proposal)
      return proposal
    },
  )
}
