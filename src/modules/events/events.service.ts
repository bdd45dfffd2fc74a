import { EntityManager, In } from 'typeorm'
import { Caller } from '../../core/access/access'
import { CheckedClaim, CheckedField, FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { EVENT_FIELDS } from '../../core/record/fields'
import { requireCurrent } from '../../core/record/record-writer'
import { Database } from '../../db/database'
import { EventCitationEntity } from '../../db/entities/event-citation.entity'
import { EventClaimEntity } from '../../db/entities/event-claim.entity'
import { EventEntity } from '../../db/entities/event.entity'
import { ProblemError } from '../../errors'
import { strongEtag } from '../../shared/etag'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { EventWriteDto } from './events.dto'
import { EventsRepository } from './events.repository'

function requestedFields(input: EventWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(EVENT_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]!]))
}

/** The preferred value of a checked field as the column that lists filter on. */
const preferredText = (field: CheckedField | undefined): string | null | undefined =>
  field === undefined ? undefined : ((field.preferred?.value as string | undefined) ?? null)

/** Writes to events (editors'): each one transaction, every value checked against its sources as a record's. */
export class EventsService {
  private readonly events: EventsRepository

  constructor(private readonly db: Database) {
    this.events = new EventsRepository(db)
  }

  async create(input: EventWriteDto, caller: Caller | null, { id = newId(), actor = caller?.name ?? 'seed' } = {}): Promise<string> {
    const fields = requestedFields(input)
    if (!Object.values(fields).some((field) => field.value !== null)) {
      throw new ProblemError('validation-failed', 'An event needs at least one cited value.', [
        { path: '', message: `give at least one of ${EVENT_FIELDS.join(', ')} with a value and its citations` },
      ])
    }
    await this.db.transaction(async (manager) => {
      if (await manager.existsBy(EventEntity, { id })) throw new ProblemError('conflict', `An event with id ${id} already exists.`)
      const checked = await checkEvidence(this.db, fields, caller)
      const at = now()
      await manager.insert(EventEntity, {
        id,
        version: 1,
        kind: preferredText(checked.kind) ?? null,
        date: preferredText(checked.date) ?? null,
        createdBy: actor,
        createdAt: at,
        updatedAt: at,
      })
      await insertClaims(manager, id, checked, at)
    })
    return id
  }

  /** An editor's change of some fields, on the event as read (If-Match): each field's claims are replaced. */
  async update(id: string, ifMatch: string | undefined, input: EventWriteDto, caller: Caller): Promise<void> {
    const fields = requestedFields(input)
    if (Object.keys(fields).length === 0) {
      throw new ProblemError('validation-failed', 'The change names no field.', [{ path: '', message: `give at least one of ${EVENT_FIELDS.join(', ')}` }])
    }
    await this.db.transaction(async (manager) => {
      const event = await manager.findOneBy(EventEntity, { id })
      if (!event) throw new ProblemError('not-found', `No event with id ${id}.`)
      // The ETag the caller read: of the event as GET answered it to them (events.routes.ts).
      requireCurrent(ifMatch, strongEtag(JSON.stringify(await this.events.find(id, caller))))
      const checked = await checkEvidence(this.db, fields, caller)
      const at = now()
      // Superseded claims stay, deprecated: audits can still reach them.
      await manager.update(
        EventClaimEntity,
        { eventId: id, field: In(Object.keys(checked)), rank: In(['preferred', 'normal']) },
        { rank: 'deprecated', reason: `superseded in version ${event.version + 1}` },
      )
      await insertClaims(manager, id, checked, at)
      const kind = preferredText(checked.kind)
      const date = preferredText(checked.date)
      // Guarded by the version read: of two instances that passed If-Match at once, the second changes nothing here.
      const { affected } = await manager.update(EventEntity, { id, version: event.version }, {
        version: event.version + 1,
        updatedAt: at,
        ...(kind === undefined ? {} : { kind }),
        ...(date === undefined ? {} : { date }),
      })
      if (affected === 0) throw new ProblemError('precondition-failed', 'The event changed since you read it. Read it again and reapply your change.')
    })
  }
}

async function insertClaims(manager: EntityManager, eventId: string, checked: Record<string, CheckedField>, at: string): Promise<void> {
  const claims: EventClaimEntity[] = []
  const citations: EventCitationEntity[] = []
  const add = (field: string, claim: CheckedClaim, rank: 'preferred' | 'normal') => {
    const claimId = newId()
    claims.push(manager.create(EventClaimEntity, { id: claimId, eventId, field, value: JSON.stringify(claim.value), rank, reason: null, createdAt: at }))
    for (const { sourceId, quote, start, end, note } of claim.citations) {
      citations.push(manager.create(EventCitationEntity, { id: newId(), claimId, sourceId, quote, quoteStart: start, quoteEnd: end, note, createdAt: at }))
    }
  }
  for (const [field, { preferred, alternatives }] of Object.entries(checked)) {
    if (preferred) add(field, preferred, 'preferred')
    for (const alternative of alternatives) add(field, alternative, 'normal')
  }
  if (claims.length) await manager.insert(EventClaimEntity, claims)
  if (citations.length) await manager.insert(EventCitationEntity, citations)
}
