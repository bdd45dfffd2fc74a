import type { FastifyInstance } from 'fastify'
import { Caller } from '../../core/access/access'
import { BEARER_SECURITY } from '../../plugins/auth.plugin'
import { dtoSchema } from '../../shared/dto'
import { IdParams } from '../../shared/paging.dto'
import { named, notModified, problems } from '../../shared/response-schemas'
import { DEFAULT_WEBHOOK_SETTINGS, WebhookDispatcher, WebhookSettings } from './webhook-dispatcher'
import { CreateWebhookDto } from './webhooks.dto'
import { WebhooksService } from './webhooks.service'

const DELIVERIES_SHOWN = 50

/**
 * Webhooks: editors and admins register a URL and the kinds of change it wants; each public change is POSTed to
 * it, signed (Standard Webhooks), and every instance's dispatcher sends the outbox (webhook-dispatcher.ts).
 */
export default async function webhooksRoutes(app: FastifyInstance, { settings = DEFAULT_WEBHOOK_SETTINGS }: { settings?: WebhookSettings }) {
  const service = new WebhooksService(app.db, settings.allowPrivate)
  const dispatcher = new WebhookDispatcher(app.db, settings, app.log)
  app.addHook('onReady', async () => dispatcher.start())
  app.addHook('onClose', async () => dispatcher.stop())

  const editor = { onRequest: app.requireRole('editor') }
  const common = { tags: ['webhooks'], security: BEARER_SECURITY }
  const caller = (request: { apiKey: unknown }) => request.apiKey as Caller

  app.post<{ Body: CreateWebhookDto }>(
    '/v1/webhooks',
    {
      ...editor,
      schema: {
        ...common,
        summary: 'Register a webhook',
        operationId: 'createWebhook',
        description:
          'Each public change of the kinds asked for (what `GET /v1/changes` and `GET /v1/changes/events` show, nothing pending, ' +
          'withheld or private) is POSTed to `url` as `{ type, timestamp, data }`, `data` being the change feed entry, at least ' +
          'once and in commit order per record or event, and retried with exponential backoff while the receiver does not answer 2xx. ' +
          'Deliveries are signed as Standard Webhooks: `webhook-id` (the same on every attempt: drop repeats), `webhook-timestamp`, ' +
          '`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the secret answered here, once.',
        body: dtoSchema(CreateWebhookDto),
        response: {
          201: named('NewWebhook', 'Registered: its secret is in secret', { Location: { type: 'string', description: 'The URL of the webhook' } }),
          ...problems(400, 401, 403, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const webhook = await service.create(request.body.url, request.body.events, caller(request))
      return reply.code(201).header('cache-control', 'no-store').header('location', `/v1/webhooks/${webhook.id}`).send(webhook)
    },
  )

  app.get(
    '/v1/webhooks',
    { ...editor, schema: { ...common, summary: 'List webhooks', operationId: 'listWebhooks', description: "This key's webhooks; every one for an admin.", response: { 200: named('WebhookList', 'The webhooks'), ...notModified, ...problems(401, 403, 429) } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { data: await service.list(caller(request)) }
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/webhooks/:id',
    { ...editor, schema: { ...common, summary: 'Read a webhook', operationId: 'getWebhook', params: dtoSchema(IdParams), response: { 200: named('Webhook', 'The webhook'), ...notModified, ...problems(400, 401, 403, 404, 429) } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return service.get(request.params.id, caller(request))
    },
  )

  app.delete<{ Params: IdParams }>(
    '/v1/webhooks/:id',
    {
      ...editor,
      schema: { ...common, summary: 'Delete a webhook', operationId: 'deleteWebhook', description: 'Nothing more is sent to it, including deliveries not made yet.', params: dtoSchema(IdParams), response: { 204: { type: 'null', description: 'Deleted' }, ...problems(400, 401, 403, 404, 429) } },
    },
    async (request, reply) => {
      await service.remove(request.params.id, caller(request))
      return reply.code(204).send()
    },
  )

  app.get<{ Params: IdParams }>(
    '/v1/webhooks/:id/deliveries',
    {
      ...editor,
      schema: {
        ...common,
        summary: "A webhook's latest deliveries",
        operationId: 'listWebhookDeliveries',
        description: `The last ${DELIVERIES_SHOWN} deliveries tried, newest first: status (retrying, delivered, failed), attempts, the receiver's last answer and the next retry.`,
        params: dtoSchema(IdParams),
        response: { 200: named('WebhookDeliveryList', 'The deliveries'), ...notModified, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { data: await service.deliveries(request.params.id, caller(request), DELIVERIES_SHOWN) }
    },
  )
}
