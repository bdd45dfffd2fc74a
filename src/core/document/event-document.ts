import { strongEtag } from '../../shared/etag'
import { Comparison, Participant } from './event-comparison'
import { EventField, FieldView } from './fields'

/** An event as reads show it: its cited fields, who took part, and what the two say against each other. */
export type EventDocument = {
  id: string
  version: number
  participants: Participant[]
  comparison: Comparison
  createdAt: string
  updatedAt: string
} & Record<EventField, FieldView>

/** The JSON an event is answered as, and its ETag: If-Match is checked against the same. */
export const serialiseEvent = (event: EventDocument) => JSON.stringify(event)
export const eventEtag = (event: EventDocument) => strongEtag(serialiseEvent(event))
