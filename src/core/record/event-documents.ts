import { EntityManager, In } from 'typeorm'
import { PRIVATE_SOURCES } from '../access/access'
import { publicCitation } from '../access/public-view'
import type { Database } from '../../db/database'
import { EventCitationEntity } from '../../db/entities/citation.entity'
import { EventClaimEntity } from '../../db/entities/claim.entity'
import { EventEntity } from '../../db/entities/event.entity'
import { SourceEntity } from '../../db/entities/source.entity'
import { CitationView, EVENT_FIELDS, EventField, FieldView } from '../document/fields'
import { Participant, compare } from '../document/event-comparison'
import type { EventDocument } from '../document/event-document'

/**
 * An event's stored documents (docs/design.md §3.2), as a record's: built from its claims and citations in the
 * write's transaction and stored beside it, the public one and, where it differs, the whole one for editors. What
 * is stored is the event's own cited fields and the version they are of; who took part is the records' fact (their
 * `events`, written by the record writer), joined at each read from the records' public columns with the comparison
 * it makes, so that a record's write never has to rewrite its events.
 *
 * Derived data: a stored document of another version than the event's row (written before documents were stored, or
 * by an instance of an older release during a rolling upgrade) is not served; its event is built from its claims
 * at the read instead, and rebuilt on start (rebuildStaleEventDocuments) when EVENT_DOCUMENT_SHAPE_VERSION changes.
 */
export const EVENT_DOCUMENT_SHAPE_VERSION = 1

/** The row of derived_versions that records which shape the stored event documents have. */
const DERIVED = 'event-documents'

export type EventFields = Record<EventField, FieldView>

/** What events.document (and events.editor_document) hold. */
interface StoredFields {
  version: number
  fields: EventFields
}

/** A claim of an event as documents read it. */
export interface EventClaimRow {
  id: string
  field: string
  value: string
  rank: string
}

/** A citation of an event's claim as documents read it, with whether its source is private. */
export interface EventCitationRow {
  id: string
  claimId: string
  sourceId: string
  quote: string
  start: number | null
  end: number | null
  note: string | null
  private: boolean | number
}

/**
 * An event's fields from its current claims (preferred and alternatives, in the order they were made) and their
 * citations (in theirs); `editor`: whole, else as everyone reads them (private sources as such).
 */
export function eventFields(claims: EventClaimRow[], citations: EventCitationRow[], editor: boolean): EventFields {
  const citationsOf = new Map<string, CitationView[]>()
  for (const { claimId, note, private: isPrivate, ...citation } of citations) {
    const view: CitationView = { ...citation, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) }
    citationsOf.set(claimId, [...(citationsOf.get(claimId) ?? []), editor ? view : publicCitation(view)])
  }
  const fields = Object.fromEntries(EVENT_FIELDS.map((field) => [field, { value: null, claimId: null, citations: [], alternatives: [] } as FieldView]))
  for (const claim of claims) {
    const value = JSON.parse(claim.value) as unknown
    const cited = citationsOf.get(claim.id) ?? []
    const view = fields[claim.field]
    if (claim.rank === 'preferred') Object.assign(view, { value, claimId: claim.id, citations: cited })
    else view.alternatives.push({ claimId: claim.id, value, rank: 'normal', citations: cited })
  }
  return fields as EventFields
}

/** An event as reads show it: its fields, who took part, and what the two say against each other. */
export function eventDocument(
  { id, version, createdAt, updatedAt }: { id: string; version: number; createdAt: string; updatedAt: string },
  fields: EventFields,
  participants: Participant[],
): EventDocument {
  const comparison = compare(fields.count.value as number | null, fields.composition.value as Record<string, number> | null, participants)
  return { id, version, ...fields, participants, comparison, createdAt, updatedAt }
}

/** The stored fields the caller reads, when they are of the event's current version; null: build them from the claims. */
export function storedFields(row: { version: number; document: string | null; editorDocument: string | null }, editor: boolean): EventFields | null {
  const text = editor ? (row.editorDocument ?? row.document) : row.document
  if (text === null) return null
  const stored = JSON.parse(text) as StoredFields
  return stored.version === row.version ? stored.fields : null
}

/** Builds the event's documents from its claims and stores them: every write to an event ends with it (event-writer.ts). */
export async function storeEventDocuments(manager: EntityManager, eventId: string): Promise<void> {
  const event = await manager.findOneByOrFail(EventEntity, { id: eventId })
  const claims = await manager.find(EventClaimEntity, { where: { eventId, rank: In(['preferred', 'normal']) }, order: { createdAt: 'ASC', id: 'ASC' } })
  const cited = claims.length ? await manager.find(EventCitationEntity, { where: { claimId: In(claims.map(({ id }) => id)) }, order: { createdAt: 'ASC', id: 'ASC' } }) : []
  const sourceIds = [...new Set(cited.map(({ sourceId }) => sourceId))]
  const privateSources = new Set(sourceIds.length ? (await manager.findBy(SourceEntity, { id: In(sourceIds), ...PRIVATE_SOURCES })).map(({ id }) => id) : [])
  const citations = cited.map(({ id, claimId, sourceId, quote, quoteStart, quoteEnd, note }) => ({
    id,
    claimId,
    sourceId,
    quote,
    start: quoteStart,
    end: quoteEnd,
    note,
    private: privateSources.has(sourceId),
  }))
  const whole = JSON.stringify({ version: event.version, fields: eventFields(claims, citations, true) } satisfies StoredFields)
  const document = JSON.stringify({ version: event.version, fields: eventFields(claims, citations, false) } satisfies StoredFields)
  await manager.update(EventEntity, { id: eventId }, { document, editorDocument: whole === document ? null : whole })
}

export interface EventDocumentsRebuild {
  from: number | null
  to: number
  events: number
}

/** Rebuilds every event's stored documents if they were built with another shape than EVENT_DOCUMENT_SHAPE_VERSION; null if current. */
export async function rebuildStaleEventDocuments(database: Database): Promise<EventDocumentsRebuild | null> {
  const from = (await database.get<{ version: number }>('SELECT version FROM derived_versions WHERE name = ?', [DERIVED]))?.version ?? null
  if (from === EVENT_DOCUMENT_SHAPE_VERSION) return null
  let events = 0
  for (let after = ''; ; ) {
    const ids = (await database.all<{ id: string }>('SELECT id FROM events WHERE id > ? ORDER BY id LIMIT 100', [after])).map(({ id }) => id)
    if (ids.length === 0) break
    after = ids[ids.length - 1]
    await database.transaction(async (manager) => {
      for (const id of ids) await storeEventDocuments(manager, id)
    })
    events += ids.length
  }
  await database.transaction((manager) =>
    manager
      .createQueryBuilder()
      .insert()
      .into('derived_versions')
      .values({ name: DERIVED, version: EVENT_DOCUMENT_SHAPE_VERSION, rebuilt_at: new Date().toISOString() })
      .orUpdate(['version', 'rebuilt_at'], ['name'])
      .execute(),
  )
  return { from, to: EVENT_DOCUMENT_SHAPE_VERSION, events }
}
