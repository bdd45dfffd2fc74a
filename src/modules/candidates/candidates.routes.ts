import type { FastifyInstance } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { named, problems } from '../../shared/response-schemas'
import { SourceParams, SubmitCandidatesDto } from './candidates.dto'
import { CandidatesService } from './candidates.service'

/** A statement in, candidate records out (docs/api.md, "Candidates from a statement"). */
export default async function candidatesRoutes(app: FastifyInstance) {
  const service = new CandidatesService(app.db)
  const volunteer = app.requireRole('volunteer')
  const params = dtoSchema(SourceParams)

  app.post<{ Params: SourceParams }>(
    '/v1/sources/:id/candidates',
    {
      onRequest: volunteer,
      schema: {
        tags: ['sources'],
        summary: 'Read the people a statement lists, as candidate records (nothing is saved)',
        operationId: 'readCandidates',
        description:
          "Reads the source's archived text, a statement of a human-rights group, by rules: the people it lists and, for each, " +
          'the values it states (name, articles, sentence and its term in months, stage, who recognised them and when), each ' +
          'with its exact quote at its offsets. A name that is already a published record (in any script or spelling) becomes ' +
          'a proposal to that record of the values that differ. An entry from which no one person can be read is named in ' +
          '`unparsed`, never guessed. Submit the candidates you keep with POST /v1/sources/{id}/candidates/submit.',
        security: BEARER_SECURITY,
        params,
        response: { 200: named('Candidates', 'The candidates, and the entries it could not read'), ...problems(400, 401, 403, 404, 422, 429) },
      },
    },
    async (request) => service.read(request.params.id, request.apiKey!),
  )

  app.post<{ Params: SourceParams; Body: SubmitCandidatesDto }>(
    '/v1/sources/:id/candidates/submit',
    {
      onRequest: volunteer,
      schema: {
        tags: ['sources'],
        summary: 'Submit the candidates you keep: pending records and proposals',
        operationId: 'submitCandidates',
        description:
          'Reads the statement again and submits the candidates named in `keep` (all when absent), changed as `edits` say: ' +
          "each a record waiting for review, or a proposal to the record its name matched, through the registry's writers, " +
          'as POST /v1/prisoners and PATCH would. One transaction: every problem of every candidate in one answer (422, at ' +
          '`/candidates/{index}/…`), and nothing saved unless all can be.',
        security: BEARER_SECURITY,
        params,
        body: dtoSchema(SubmitCandidatesDto),
        response: { 201: named('CandidatesSubmitted', 'The records and proposals made'), ...problems(400, 401, 403, 404, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.submit(request.params.id, request.body, request.apiKey!)),
  )
}
