import type { FastifyInstance } from 'fastify'
import { Readable } from 'node:stream'
import { cacheControl } from '../../core/access/access'
import { chainHead } from '../../core/history/chain'
import { listCheckpoints, makeCheckpoint } from '../../core/history/checkpoints'
import { historyExport } from '../../core/history/export'
import { consistencyProof, inclusionProof } from '../../core/history/proofs'
import { HistoryKey } from '../../core/history/signing-key'
import { ProblemError } from '../../errors'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { ANY_REQUEST, NO_SECURITY, OPTIONAL_BEARER_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { CheckpointsQuery, ConsistencyQuery, InclusionQuery } from './history.dto'

/**
 * The history chain (docs/design.md §10): signed checkpoints, the key that signs them, proofs and the export an
 * auditor verifies with scripts/verify-history.mjs. Everything here is public: the chain holds withheld values only
 * as salted commitments, and the export opens only what core/access lets the caller read.
 */
export default async function historyRoutes(app: FastifyInstance, { key }: { key: HistoryKey }) {
  const tags = ['audit']
  const withKey = <T extends object>(checkpoint: T) => ({ ...checkpoint, publicKey: key.publicPem })

  app.get<{ Querystring: CheckpointsQuery }>(
    '/v1/history/checkpoints',
    {
      schema: {
        tags,
        summary: 'Signed checkpoints of the history chain: the latest and a list',
        operationId: 'listHistoryCheckpoints',
        security: NO_SECURITY,
        description:
          'The chain\'s size and head now, and its signed checkpoints, newest first (one a minute at most while the chain grows, ' +
          'and one whenever an editor asks). Save one (`latest`) as a file: `npm run verify-history -- EXPORT --checkpoint FILE` ' +
          'later proves that no entry up to its size was edited, deleted, reordered or inserted since.',
        querystring: dtoSchema(CheckpointsQuery),
        response: { 200: named('HistoryCheckpoints', 'The chain now and its checkpoints'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-cache')
      const { size, head } = await chainHead(app.db)
      const data = (await listCheckpoints(app.db, request.query.limit ?? 100)).map(withKey)
      return { size, head, latest: data[0] ?? null, data }
    },
  )

  app.post(
    '/v1/history/checkpoints',
    {
      onRequest: app.requireRole('editor'),
      schema: {
        tags,
        summary: 'Sign a checkpoint of the history chain now',
        operationId: 'createHistoryCheckpoint',
        security: BEARER_SECURITY,
        description: 'Editors and admins: a checkpoint of the chain as it is now, signed, for an auditor to keep. 409 while the chain is empty.',
        response: { 201: named('HistoryCheckpoint', 'Signed'), ...problems(401, 403, 409, 429, 503) },
      },
    },
    async (_request, reply) => {
      const checkpoint = await makeCheckpoint(app.db, key)
      if (!checkpoint) throw new ProblemError('conflict', 'The history chain is empty: there is nothing to sign yet.')
      return reply.code(201).send(withKey(checkpoint))
    },
  )

  app.get(
    '/v1/history/public-key',
    {
      schema: {
        tags,
        summary: 'The key that signs checkpoints',
        operationId: 'getHistoryPublicKey',
        security: NO_SECURITY,
        description: 'The Ed25519 public key (PEM) checkpoints are verified with, and its id (SHA-256 of its DER). Keep it with your checkpoints.',
        response: { 200: named('HistoryPublicKey', 'The public key'), ...notModified, ...problems(...ANY_REQUEST) },
      },
    },
    async () => ({ algorithm: 'Ed25519', keyId: key.keyId, publicKey: key.publicPem }),
  )

  app.get<{ Querystring: InclusionQuery }>(
    '/v1/history/proofs/inclusion',
    {
      schema: {
        tags,
        summary: 'Proof that an entry is in the chain a checkpoint signs',
        operationId: 'getHistoryInclusionProof',
        security: NO_SECURITY,
        description: 'From the entry hash before `position`, the content hashes up to `size`: folded, they give the head a checkpoint of that size signs.',
        querystring: dtoSchema(InclusionQuery),
        response: { 200: named('HistoryInclusionProof', 'The proof'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { position, size = (await chainHead(app.db)).size } = request.query
      return inclusionProof(app.db, position, size)
    },
  )

  app.get<{ Querystring: ConsistencyQuery }>(
    '/v1/history/proofs/consistency',
    {
      schema: {
        tags,
        summary: 'Proof that a later checkpoint extends an earlier one',
        operationId: 'getHistoryConsistencyProof',
        security: NO_SECURITY,
        description: 'The content hashes appended between two sizes: folded from the earlier head they give the later one, so nothing before was changed.',
        querystring: dtoSchema(ConsistencyQuery),
        response: { 200: named('HistoryConsistencyProof', 'The proof'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => {
      const { from, to = (await chainHead(app.db)).size } = request.query
      return consistencyProof(app.db, from, to)
    },
  )

  app.get(
    '/v1/history/export',
    {
      schema: {
        tags,
        summary: 'Every entry of the history chain, for an auditor to verify',
        operationId: 'exportHistory',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'NDJSON, streamed: a `header` line (size, head, public key), one `entry` line per position in order (the content and entry hashes ' +
          'the chain stored, the canonical content made again from the revision as stored now, with every part a salted commitment, and ' +
          'the openings of the parts the caller may read: the public\'s per the change feed, an editor\'s all), an `unchained` line for any revision ' +
          'the chain does not hold, and the registry\'s `checkpoint` lines. Verify it with `npm run verify-history -- EXPORT --checkpoint FILE` ' +
          'or `node scripts/verify-history.mjs EXPORT --checkpoint FILE`, without the server.',
        response: {
          200: {
            description: 'The export, streamed as an attachment',
            headers: { 'Content-Disposition': { type: 'string', description: 'attachment; filename="history-<date>.ndjson"' } },
            content: { 'application/x-ndjson': { schema: { type: 'string', description: 'One JSON object per line' } } },
          },
          ...notModified,
          ...problems(...ANY_REQUEST),
        },
      },
    },
    async (request, reply) =>
      reply
        .header('content-type', 'application/x-ndjson')
        .header('content-disposition', `attachment; filename="history-${new Date().toISOString().slice(0, 10)}.ndjson"`)
        .header('cache-control', cacheControl(request.apiKey))
        .send(Readable.from(historyExport(app.db, request.apiKey, key))),
  )
}
