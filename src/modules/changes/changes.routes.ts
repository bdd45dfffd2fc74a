import { linkNext } from '../../shared/link-header'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { dtoSchema } from '../../shared/dto'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { IdParams } from '../../shared/paging.dto'
import { ANY_REQUEST, NO_SECURITY, OPTIONAL_BEARER_SECURITY, named, notModified, problems } from '../../shared/response-schemas'
import { findReadableRecord } from '../../core/record/record-reads'
import { AtomFeedQuery } from './changes.dto'
import { ChangesQuery } from '../../shared/changes-query.dto'
import { ChangesService } from '../../core/feeds/record-feed'
import { ATOM_TYPE, atomXml, stableUrn } from './changes.atom'

const ATOM_HELP =
  'Atom (RFC 4287), newest first: one entry per public change of a record, with a stable `id`, `updated`, the record as ' +
  '`alternate` and a summary in words ("Release date set to 21 June 2025, cited from …"). Paged as RFC 5005 says: follow ' +
  'the `next` link for older changes. Poll with the ETag (304 when nothing is new). Withheld values and private sources never appear.'

const atomResponse = (description: string) => ({
  description,
  headers: { ETag: { type: 'string', description: 'Strong ETag of this page; send it in If-None-Match to poll' } },
  content: { 'application/atom+xml': { schema: { type: 'string', description: 'An Atom feed document' } } },
})

export default async function changesRoutes(app: FastifyInstance) {
  const service = new ChangesService(app.db)

  app.get<{ Querystring: ChangesQuery }>(
    '/v1/changes',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every change, in order, field by field',
        operationId: 'listChanges',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'The change feed: each entry is one revision of one record (who, when, why, the review decision) with each ' +
          'changed field before and after and the citations added and removed. Start without `since`, then pass `next` ' +
          'to continue; poll with the last `next` (and its ETag: 304 when nothing is new). A mirror that applies, in ' +
          'order, each entry\'s `after` to its record, its `events` when not null (the record\'s events, an empty list for none), ' +
          'its `version`, `at` as `updatedAt` and `recordCreatedAt` as `createdAt`, and shows the records whose latest `state` is `published`, holds exactly what `GET /v1/prisoners` lists.',
        querystring: dtoSchema(ChangesQuery),
        response: { 200: named('ChangePage', 'A page of changes'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const { since, limit } = request.query
      const page = await service.page(since, limit)
      // `next` is always given, to poll with; the Link only while there is more to read.
      linkNext(reply, { next: page.hasMore ? page.next : null }, 'since')
      return page
    },
  )

  /** A page of an Atom feed: the newest changes (of one record, with `recordId`) before the cursor. */
  const feedXml = async (request: FastifyRequest<{ Querystring: AtomFeedQuery }>, feed: { id: string; title: string; recordId?: string; alternate?: string }) => {
    const { before, limit = 50 } = request.query
    const { data, older } = await service.newestFirst({
      before: before === undefined ? undefined : (decodeCursor(before, ['count'])[0] as number),
      recordId: feed.recordId,
      limit,
    })
    const base = `${request.protocol}://${request.host}`
    const path = request.url.split('?')[0]
    const page = (cursor?: number) => {
      const query = new URLSearchParams()
      if (cursor !== undefined) query.set('before', encodeCursor([cursor]))
      if (request.query.limit !== undefined) query.set('limit', String(limit))
      return `${base}${path}${query.size ? `?${query}` : ''}`
    }
    const xml = atomXml({
      id: feed.id,
      title: feed.title,
      links: { self: `${base}${request.url}`, first: page(), next: older === null ? null : page(older), alternate: feed.alternate && `${base}${feed.alternate}` },
      base,
      entries: data,
      words: await service.feedWords(data),
    })
    return xml
  }

  app.get<{ Querystring: AtomFeedQuery }>(
    '/v1/changes.atom',
    {
      schema: {
        tags: ['audit'],
        summary: "The registry's public changes as an Atom feed",
        operationId: 'getChangesAtom',
        security: NO_SECURITY,
        description: ATOM_HELP,
        querystring: dtoSchema(AtomFeedQuery),
        response: { 200: atomResponse('A page of the feed, newest first'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const xml = await feedXml(request, { id: stableUrn('feed:changes'), title: 'Political prisoner registry: every public change' })
      return reply.type(ATOM_TYPE).send(xml)
    },
  )

  app.get<{ Params: IdParams; Querystring: AtomFeedQuery }>(
    '/v1/prisoners/:id/changes.atom',
    {
      schema: {
        tags: ['prisoners'],
        summary: "One record's public changes as an Atom feed",
        operationId: 'getPrisonerChangesAtom',
        security: NO_SECURITY,
        description: `${ATOM_HELP} 404 when the public may not read the record.`,
        params: dtoSchema(IdParams),
        querystring: dtoSchema(AtomFeedQuery),
        response: { 200: atomResponse("A page of the record's feed, newest first"), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      // The feed is public whatever the key: a record the public cannot read has none (core/access).
      const record = await findReadableRecord(app.db, id, null)
      const name = (JSON.parse(record.document) as { name: { value: string | null } }).name.value
      const xml = await feedXml(request, {
        id: stableUrn(`feed:prisoner:${id}`),
        title: `Political prisoner registry: ${name ?? 'a record without a public name'}`,
        recordId: id,
        alternate: `/v1/prisoners/${id}`,
      })
      return reply.type(ATOM_TYPE).send(xml)
    },
  )
}
