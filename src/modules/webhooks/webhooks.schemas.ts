import { DELIVERY_STATUSES } from '../../db/entities/webhook.entity'
import { listSchema } from '../../shared/response-schemas'
import { WEBHOOK_KINDS } from './webhooks.dto'

/** Response shapes of the webhooks routes, registered once as named schemas (see src/shared/response-schemas.ts). */
const webhookProperties = {
  id: { type: 'string', format: 'uuid' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string', enum: WEBHOOK_KINDS } },
  createdAt: { type: 'string', format: 'date-time' },
}

export const webhookSchema = {
  $id: 'Webhook',
  type: 'object',
  description: 'A registered webhook. Its secret is shown only when it is made.',
  additionalProperties: false,
  required: Object.keys(webhookProperties),
  properties: webhookProperties,
}

export const newWebhookSchema = {
  $id: 'NewWebhook',
  type: 'object',
  description: 'A webhook just registered, with the secret its deliveries are signed with: shown only in this answer.',
  additionalProperties: false,
  required: [...Object.keys(webhookProperties), 'secret'],
  properties: {
    ...webhookProperties,
    secret: { type: 'string', pattern: '^whsec_', description: 'whsec_<base64>: verify webhook-signature with it (Standard Webhooks)' },
  },
}

export const deliverySchema = {
  $id: 'WebhookDelivery',
  type: 'object',
  description: 'One change sent (or being sent) to a webhook.',
  additionalProperties: false,
  required: ['id', 'kind', 'subject', 'subjectId', 'version', 'status', 'attempts', 'lastAttemptAt', 'lastStatus', 'lastError', 'nextAttemptAt', 'deliveredAt'],
  properties: {
    id: { type: 'string', description: 'The webhook-id header of every attempt' },
    kind: { type: 'string' },
    subject: { type: 'string', enum: ['record', 'event'] },
    subjectId: { type: 'string', format: 'uuid' },
    version: { type: 'integer', description: 'The version of the record or event the change made' },
    status: { type: 'string', enum: DELIVERY_STATUSES.filter((status) => status !== 'skipped') },
    attempts: { type: 'integer' },
    lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    lastStatus: { type: ['integer', 'null'], description: "The receiver's HTTP status on the last attempt; null when it did not answer" },
    lastError: { type: ['string', 'null'], description: 'Why the last attempt got no answer (refused, timed out, …)' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time', description: 'When it is tried again, while retrying' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
}

export const WEBHOOK_SCHEMAS = [
  webhookSchema,
  newWebhookSchema,
  deliverySchema,
  listSchema('WebhookList', 'Webhook', 'The webhooks this key may see: its own; every one for admins.'),
  listSchema('WebhookDeliveryList', 'WebhookDelivery', 'The latest deliveries tried, newest first.'),
]
