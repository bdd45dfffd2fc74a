import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { EVENT_REVISION_ACTIONS } from '../../db/entities/revision.entity'
import { REVISION_ACTIONS } from '../../db/entities/revision.entity'

/** The kinds of change a webhook may ask for: a subject and the action of its revision, or every action ("*"). */
export const WEBHOOK_KINDS = [
  'record.*',
  ...REVISION_ACTIONS.map((action) => `record.${action}`),
  'event.*',
  ...EVENT_REVISION_ACTIONS.map((action) => `event.${action}`),
]

@JSONSchema({ example: { url: 'https://example.org/registry-hook', events: ['record.*'] } })
export class CreateWebhookDto {
  @JSONSchema({
    description:
      'Where deliveries are POSTed (http or https). A URL whose host resolves to a loopback, private, link-local or ' +
      'metadata address is refused, unless the operator allows it (WEBHOOK_ALLOW_PRIVATE).',
  })
  @IsString()
  @Length(1, 2000)
  url: string

  @JSONSchema({
    description:
      'The kinds of change to send: `record.<action>` or `event.<action>` (the action of the revision, as in the change feeds), ' +
      'or `record.*` / `event.*` for all. A record a volunteer submits reaches the public, and webhooks, with its review.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_KINDS.length)
  @IsIn(WEBHOOK_KINDS, { each: true, message: `each of events must be one of ${WEBHOOK_KINDS.join(', ')}` })
  events: string[]
}
