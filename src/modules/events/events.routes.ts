import { linkNext } from '../../shared/link-header'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { IF_MATCH_HEADER } from '../../shared/etag'
import { IdParams } from '../../shared/paging.dto'
import { ANY_REQUEST, OPTIONAL_BEARER_SECURITY, etagHeader, named, notModified, problems, reviewStatusHeader, withLinkedData } from '../../shared/response-schemas'
import { EVENT_FIELDS } from '../../core/document/fields'
import { JSON_LD_TYPE, citedSources, eventNode, jsonLdDocument, publicSources } from '../../core/linked-data/linked-data'
import { baseUrl, wantsLinkedData } from '../../plugins/record-reply'
import { ReviewDecisionDto } from '../../shared/review-decision.dto'
import { RESTORE_EXAMPLE, StateChangeDto, StateChangeQuery } from '../../shared/state-change.dto'
import { EventFieldParams, EventWriteDto, ListEventsQuery } from './events.dto'
import { EVENT_WRITE_EXAMPLES } from './events.examples'
import { RankClaimDto } from '../../core/record/rank-claim.dto'
import { EventsRepository } from '../../core/record/event-reads'
import { EventDocument, eventEtag, serialiseEvent } from '../../core/document/event-document'
import { EventsService } from './events.service'
import { EventFeed } from '../../core/feeds/event-feed'
import { ChangesQuery } from '../../shared/changes-query.dto'

const eventResponse = (description: string, headers: Record<string, unknown> = {}) => named('Event', description, { ...etagHeader, ...headers })

/**
 * An event as the caller reads it, with the ETag that If-Match is checked against (EventsService); to a key, its
 * review status; deleted: when (editors).
 */
function sendEvent(
  reply: FastifyReply,
  { event, deletedAt, reviewStatus }: { event: EventDocument; deletedAt: string | null; reviewStatus: string },
  status = 200,
) {
  if (reply.request.apiKey) reply.header('review-status', reviewStatus)
  if (deletedAt) reply.header('deleted-at', deletedAt)
  return reply.code(status).header('etag', eventEtag(event)).type('application/json').send(serialiseEvent(event))
}
const stateHeaders = {
  ...reviewStatusHeader,
  'Deleted-At': { type: 'string', format: 'date-time', description: 'Sent to editors when the event is deleted' },
}

const WRITE_HELP =
  'Each field is `{ "value": …, "citations": [{ "sourceId": "…", "quote": "…" }], "alternatives"?: […] }`, checked as a ' +
  "record's: every value cited, every quote found in its source. `kind` is one of release, transfer, pardon, exchange, arrest, " +
  'sentencing, trial, death, other; `date` is YYYY, YYYY-MM or YYYY-MM-DD; `fromCountry` and `toCountry` two-letter codes; ' +
  '`count` how many people; `composition` how many of each nationality (`{ "BY": 5, "PL": 3 }`); `brokeredBy` who brokered or ' +
  'ordered it. Records are linked to the event from the record (its `events`).'

export default async function eventsRoutes(app: FastifyInstance) {
  const repository = new EventsRepository(app.db)
  const service = new EventsService(app.db)
  const feed = new EventFeed(app.db)
  const idParams = dtoSchema(IdParams)
  const fieldParams = dtoSchema(EventFieldParams)
  const editor = app.requireRole('editor')
  const volunteer = app.requireRole('volunteer')

  app.get<{ Querystring: ListEventsQuery }>(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'List events',
        operationId: 'listEvents',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'Releases, transfers, pardons… newest first: what the sources say about each as a group (how many, which nationalities, ' +
          'from where to where, who brokered it), each value with its citations; the records that took part; and how the two compare.',
        querystring: dtoSchema(ListEventsQuery),
        response: { 200: named('EventPage', 'A page of events'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const page = linkNext(reply, await repository.list(request.query, request.apiKey))
      return reply.type('application/json').send(JSON.stringify(page))
    },
  )

  app.get<{ Querystring: ChangesQuery }>(
    '/v1/changes/events',
    {
      schema: {
        tags: ['events'],
        summary: "Every change of every event, in order",
        operationId: 'listEventChanges',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          "The events' change feed, as `GET /v1/changes` is the records': each entry one revision of one event (who, when, why) " +
          'with each changed field before and after and the citations added and removed. Start without `since`, then pass `next`; ' +
          "poll with the last `next` (and its ETag: 304 when nothing is new). A volunteer's event enters the feed when an editor " +
          'approves it, with all its fields at once. A mirror that applies each entry\'s `after` to its event, its `version`, `at` as ' +
          '`updatedAt` and `eventCreatedAt` as `createdAt`, and shows the events whose latest `state` is `published`, holds the fields ' +
          'of what `GET /v1/events` lists (participants come from the records\' `events` in `GET /v1/changes`).',
        querystring: dtoSchema(ChangesQuery),
        response: { 200: named('EventChangePage', 'A page of changes'), ...notModified, ...problems(400, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      const page = await feed.page(request.query.since, request.query.limit)
      // `next` is always given, to poll with; the Link only while there is more to read.
      linkNext(reply, { next: page.hasMore ? page.next : null }, 'since')
      return page
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Read one event',
        operationId: 'getEvent',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'Every field of the event with its preferred value, citations and alternatives; the published records linked to it; and ' +
          '`comparison`: its stated count and composition against the nationalities of those records (what is still missing, ' +
          'what contradicts). With a key, the events you submitted are readable too while they wait for review or after a ' +
          'rejection (`Review-Status`); editors read every event, deleted ones too (`Deleted-At`). With `Accept: application/ld+json`, ' +
          'the public event as a schema.org `Event` (its participants as `attendee`s, each cited value a `Claim` with its citations).',
        params: idParams,
        response: { 200: withLinkedData(eventResponse('The event', stateHeaders)), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request, reply) => {
      reply.header('vary', 'Accept')
      if (!wantsLinkedData(request)) return sendEvent(reply, await repository.find(request.params.id, request.apiKey))
      // Linked data is the public event whatever the key (core/access): what is not public is 404 here.
      const { event } = await repository.find(request.params.id, null)
      const sources = await publicSources(app.db, citedSources(EVENT_FIELDS.map((field) => event[field])))
      return reply.type(JSON_LD_TYPE).send(jsonLdDocument(eventNode(event, sources, { base: baseUrl(request) })))
    },
  )

  app.post<{ Body: EventWriteDto }>(
    '/v1/events',
    {
      onRequest: volunteer,
      schema: {
        tags: ['events'],
        summary: 'Add an event',
        operationId: 'createEvent',
        description:
          'An event and what the sources say about it as a group. An editor\'s event is published at once; a volunteer\'s waits for ' +
          `review (\`Review-Status: pending\`, in \`GET /v1/review\`), readable meanwhile by its key and editors only. ${WRITE_HELP}`,
        security: BEARER_SECURITY,
        body: dtoSchema(EventWriteDto, { examples: EVENT_WRITE_EXAMPLES.create }),
        response: {
          201: eventResponse('Created', { Location: { type: 'string', description: 'The URL of the new event' }, ...reviewStatusHeader }),
          ...problems(400, 401, 403, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const id = await service.create(request.body, request.apiKey!)
      reply.header('location', `/v1/events/${id}`)
      return sendEvent(reply, await repository.find(id, request.apiKey), 201)
    },
  )

  app.patch<{ Params: IdParams; Body: EventWriteDto; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id',
    {
      onRequest: volunteer,
      schema: {
        tags: ['events'],
        summary: 'Change fields of an event (editors) or propose a change (volunteers)',
        operationId: 'updateEvent',
        description:
          'Each field sent replaces that field; what it had before is kept, deprecated. Needs `If-Match` with the ETag you read. ' +
          'An editor\'s change is applied at once (200), as is a volunteer\'s to their own event while it waits for review; a ' +
          'volunteer\'s change of a published event is held for an editor (202, with the proposal: `GET /v1/events/proposals/{id}`). ' +
          WRITE_HELP,
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        body: dtoSchema(EventWriteDto, { examples: EVENT_WRITE_EXAMPLES.patch }),
        response: {
          200: eventResponse('Changed', reviewStatusHeader),
          202: named('EventProposal', 'Held for review', { Location: { type: 'string', description: 'The URL of the proposal' } }),
          ...problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429),
        },
      },
    },
    async (request, reply) => {
      const proposal = await service.change(request.params.id, request.headers['if-match'], request.body, request.apiKey!)
      if (proposal) return reply.code(202).header('location', `/v1/events/proposals/${proposal.id}`).send(proposal)
      return sendEvent(reply, await repository.find(request.params.id, request.apiKey))
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/events/proposals/:id',
    {
      onRequest: volunteer,
      schema: {
        tags: ['events'],
        summary: "A proposed change of an event and its outcome",
        operationId: 'getEventProposal',
        description: 'The fields a volunteer proposed, with their checked citations, and whether an editor approved or rejected them, when and why. For its volunteer and editors.',
        security: BEARER_SECURITY,
        params: idParams,
        response: { 200: named('EventProposal', 'The proposal'), ...notModified, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return repository.proposal(request.params.id, request.apiKey)
    },
  )

  app.post<{ Params: IdParams; Body: ReviewDecisionDto }>(
    '/v1/events/proposals/:id/review',
    {
      onRequest: editor,
      schema: {
        tags: ['review'],
        summary: "Approve or reject a volunteer's change of an event",
        operationId: 'reviewEventProposal',
        description:
          'Approval applies the proposed fields as a new version of the event (409 when one of them was changed by someone else since ' +
          'the volunteer read it); rejection keeps the event as it is. Either way the proposal keeps the decision, and the comment.',
        security: BEARER_SECURITY,
        params: idParams,
        body: dtoSchema(ReviewDecisionDto),
        response: { 200: named('EventProposal', 'The proposal as decided'), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    async (request) => {
      const { decision, comment } = request.body
      return service.reviewProposal(request.params.id, decision, request.apiKey!, comment)
    },
  )

  app.post<{ Params: IdParams; Body: ReviewDecisionDto; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id/review',
    {
      onRequest: editor,
      schema: {
        tags: ['review'],
        summary: "Approve or reject a volunteer's new event",
        operationId: 'reviewEvent',
        description:
          'Approval publishes the event at once (its history and the events\' feed then carry all its fields); rejection keeps it out ' +
          'of reads for good. Needs `If-Match`; recorded in its history.',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        body: dtoSchema(ReviewDecisionDto),
        response: { 200: eventResponse('The event as reviewed', reviewStatusHeader), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      const { decision, comment } = request.body
      await service.review(request.params.id, request.headers['if-match'], decision, request.apiKey!, comment)
      return sendEvent(reply, await repository.find(request.params.id, request.apiKey))
    },
  )

  app.get<{ Params: EventFieldParams }>(
    '/v1/events/:id/fields/:field',
    {
      schema: {
        tags: ['events'],
        summary: 'Every claim of one field of an event',
        operationId: 'listEventFieldClaims',
        security: OPTIONAL_BEARER_SECURITY,
        description:
          'The preferred claim, the alternatives, and the deprecated ones that reads leave out, each with its citations, the reason ' +
          'for its rank and the version that introduced it.',
        params: fieldParams,
        response: { 200: named('EventFieldClaims', 'Every claim of the field'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => repository.claims(request.params.id, request.params.field, request.apiKey),
  )

  app.post<{ Params: EventFieldParams; Body: RankClaimDto; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id/fields/:field/rank',
    {
      onRequest: editor,
      schema: {
        tags: ['events'],
        summary: "Choose an event field's preferred claim, or re-rank one",
        operationId: 'rankEventFieldClaim',
        description:
          "An editor's decision between disagreeing sources, with the reason, kept on the claim and in the event's history. " +
          'Needs `If-Match`: a decision on an event that changed since you read it is refused (412).',
        security: BEARER_SECURITY,
        params: fieldParams,
        headers: IF_MATCH_HEADER,
        body: dtoSchema(RankClaimDto),
        response: { 200: eventResponse('The event as ranked', reviewStatusHeader), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      const { id, field } = request.params
      await service.rank(id, field, request.headers['if-match'], request.body, request.apiKey!)
      return sendEvent(reply, await repository.find(id, request.apiKey))
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/events/:id/history',
    {
      schema: {
        tags: ['events'],
        summary: "An event's history",
        operationId: 'getEventHistory',
        security: OPTIONAL_BEARER_SECURITY,
        description: 'Every change of the event, newest first: who, when, why, and each changed field before and after, citations included.',
        params: idParams,
        response: { 200: named('EventRevisionList', 'The revisions, newest first'), ...notModified, ...problems(400, 404, ...ANY_REQUEST) },
      },
    },
    async (request) => ({ data: await repository.history(request.params.id, request.apiKey) }),
  )

  app.delete<{ Params: IdParams; Querystring: StateChangeQuery; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id',
    {
      onRequest: editor,
      schema: {
        tags: ['events'],
        summary: 'Delete an event (soft, editors)',
        operationId: 'deleteEvent',
        description:
          'The event leaves reads and lists; its claims, citations, history and the records\' links stay, and an editor can restore it. ' +
          'Needs `If-Match`; the reason goes in `comment`, in the query string.',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        querystring: dtoSchema(StateChangeQuery),
        response: { 204: { type: 'null', description: 'Deleted' }, ...problems(400, 401, 403, 404, 412, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      await service.remove(request.params.id, request.headers['if-match'], request.apiKey!, request.query.comment)
      return reply.code(204).send()
    },
  )

  app.post<{ Params: IdParams; Body: StateChangeDto; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id/restore',
    {
      onRequest: editor,
      schema: {
        tags: ['events'],
        summary: 'Restore a deleted event (editors)',
        operationId: 'restoreEvent',
        description: 'Brings a deleted event back into reads, as it was. Needs `If-Match` with the ETag of the deleted event (editors can GET it).',
        security: BEARER_SECURITY,
        params: idParams,
        headers: IF_MATCH_HEADER,
        body: dtoSchema(StateChangeDto, RESTORE_EXAMPLE),
        response: { 200: eventResponse('Restored'), ...problems(400, 401, 403, 404, 412, 413, 415, 422, 428, 429) },
      },
    },
    async (request, reply) => {
      await service.restore(request.params.id, request.headers['if-match'], request.apiKey!, request.body?.comment)
      return sendEvent(reply, await repository.find(request.params.id, request.apiKey))
    },
  )
}
