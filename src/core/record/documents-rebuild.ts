import { PRIVATE_SOURCES } from '../access/access'
import { EntityManager, In } from 'typeorm'
import type { Database } from '../../db/database'
import { CitationEntity } from '../../db/entities/citation.entity'
import { ClaimEntity } from '../../db/entities/claim.entity'
import { EventParticipantEntity } from '../../db/entities/event-participant.entity'
import { PrisonerEntity } from '../../db/entities/prisoner.entity'
import { RevisionEntity } from '../../db/entities/revision.entity'
import { SourceEntity } from '../../db/entities/source.entity'
import { ProblemError } from '../../errors'
import { DOCUMENT_SHAPE_VERSION } from './document-schemas'
import { CitationView, FieldView, PRISONER_FIELDS, PrisonerDocument, PrisonerField, Withholding } from '../document/fields'
import { fieldDiffs, readDiff } from '../document/revision-diff'
import { RecordWriter } from './record-writer'

/**
 * Stored documents are derived data (docs/design.md §2, invariant 9), like name keys (name-keys-rebuild.ts): a
 * record's documents are built from its claims and citations when it is written, so a change of their shape
 * (DOCUMENT_SHAPE_VERSION) leaves the documents written before it as they were. The app rebuilds them on start,
 * under the lock migrations take (server.ts), when the version recorded in derived_versions differs from its own.
 */

/** The row of derived_versions that records which shape the stored documents have. */
const DERIVED = 'record-documents'
/** Records rebuilt per transaction: each batch is short, so a running server's writes wait little. */
const PRISONERS_PER_BATCH = 100

export interface DocumentsRebuild {
  /** The shape the stored documents had (null: none recorded, documents written before shapes were versioned). */
  from: number | null
  to: number
  prisoners: number
  /** Records whose documents were not what their claims make, and were rewritten. */
  changed: number
  /** Records whose claims make no document the contract accepts: left as they were, each with why. */
  refused: { id: string; detail: string }[]
}

/** The shape version the stored documents were built with. */
export async function storedDocumentsVersion(database: Database): Promise<number | null> {
  return (await database.get<{ version: number }>('SELECT version FROM derived_versions WHERE name = ?', [DERIVED]))?.version ?? null
}

/** Rebuilds every record's documents if they were built with another shape than DOCUMENT_SHAPE_VERSION; null if current. */
export async function rebuildStaleDocuments(database: Database, options: { prisonersPerBatch?: number } = {}): Promise<DocumentsRebuild | null> {
  if ((await storedDocumentsVersion(database)) === DOCUMENT_SHAPE_VERSION) return null
  return rebuildDocuments(database, options)
}

/**
 * Rebuilds every record's documents from its current claims, their citations, its events and its withholdings,
 * as the record writer would write them today; its version, ETag and history stay unless the document changes.
 * In batches, each in its own transaction. The version is recorded last, and only when every record was rebuilt:
 * one that stops midway, or refuses a record, runs again in full on the next start (it is idempotent).
 */
export async function rebuildDocuments(database: Database, { prisonersPerBatch = PRISONERS_PER_BATCH } = {}): Promise<DocumentsRebuild> {
  const from = await storedDocumentsVersion(database)
  const report: DocumentsRebuild = { from, to: DOCUMENT_SHAPE_VERSION, prisoners: 0, changed: 0, refused: [] }
  for (let after = ''; ; ) {
    const ids = (await database.all<{ id: string }>('SELECT id FROM prisoners WHERE id > ? ORDER BY id LIMIT ?', [after, prisonersPerBatch])).map(({ id }) => id)
    if (ids.length === 0) break
    after = ids[ids.length - 1]
    const batch = await database.transaction(async (manager) => {
      let changed = 0
      for (const id of ids) if (await rebuildRecord(manager, id)) changed++
      return changed
    }).catch((error: unknown) => {
      if (refusedByContract(error)) return null
      throw error
    })
    if (batch !== null) {
      report.prisoners += ids.length
      report.changed += batch
      continue
    }
    // A record of the batch makes no document the contract accepts: again one record per transaction, so it alone stays.
    for (const id of ids) {
      try {
        if (await database.transaction((manager) => rebuildRecord(manager, id))) report.changed++
        report.prisoners++
      } catch (error) {
        if (!refusedByContract(error)) throw error
        report.refused.push({ id, detail: error.detail })
      }
    }
  }
  if (report.refused.length === 0) {
    await database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into('derived_versions')
        .values({ name: DERIVED, version: DOCUMENT_SHAPE_VERSION, rebuilt_at: new Date().toISOString() })
        .orUpdate(['version', 'rebuilt_at'], ['name'])
        .execute(),
    )
  }
  return report
}

/** The writer's check refused a document (a 422); storage that fails (a 503 problem too) stops the rebuild instead. */
function refusedByContract(error: unknown): error is ProblemError {
  return error instanceof ProblemError && error.statusCode === 422
}

/** A claim's value as documents hold it: a sub-value stored as null (accepted before 422s refused it) is left out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null).map(([key, item]) => [key, withoutNulls(item)]))
  return value
}

/** The stored document, if it can still be read: only the order of alternatives and nothing else is taken from it. */
function previous(prisoner: PrisonerEntity): Partial<PrisonerDocument> {
  try {
    return JSON.parse(prisoner.editorDocument ?? prisoner.document) as Partial<PrisonerDocument>
  } catch {
    return {}
  }
}

/** Rebuilds one record's documents; stored only if they differ (then true), with no new version and no revision. */
async function rebuildRecord(manager: EntityManager, id: string): Promise<boolean> {
  const prisoner = await manager.findOneByOrFail(PrisonerEntity, { id })
  const claims = await manager.find(ClaimEntity, { where: { prisonerId: id, rank: In(['preferred', 'normal']) }, order: { createdAt: 'ASC', id: 'ASC' } })
  const citations = claims.length ? await manager.find(CitationEntity, { where: { claimId: In(claims.map((claim) => claim.id)) }, order: { createdAt: 'ASC', id: 'ASC' } }) : []
  const sourceIds = [...new Set(citations.map((citation) => citation.sourceId))]
  const privateSources = new Set(sourceIds.length ? (await manager.findBy(SourceEntity, { id: In(sourceIds), ...PRIVATE_SOURCES })).map(({ id }) => id) : [])
  const events = await manager.find(EventParticipantEntity, { where: { prisonerId: id }, order: { eventId: 'ASC' } })
  const withholdings = await currentWithholdings(manager, id)
  const old = previous(prisoner)

  const citationsOf = (claimId: string): CitationView[] =>
    citations
      .filter((citation) => citation.claimId === claimId)
      .map(({ id, sourceId, quote, quoteStart, quoteEnd, note }) => ({
        id,
        sourceId,
        quote,
        start: quoteStart,
        end: quoteEnd,
        ...(note ? { note } : {}),
        ...(privateSources.has(sourceId) ? { private: true as const } : {}),
      }))

  const document = { id, version: prisoner.version, createdAt: prisoner.createdAt, updatedAt: prisoner.updatedAt } as PrisonerDocument
  for (const field of PRISONER_FIELDS) {
    const ofField = claims.filter((claim) => claim.field === field)
    const preferred = ofField.find((claim) => claim.rank === 'preferred')
    // Alternatives in the order the stored document gave them (an editor's re-ranking puts them there), new ones after.
    const order = (old[field]?.alternatives ?? []).map((alternative) => alternative.claimId)
    const place = (claimId: string) => (order.includes(claimId) ? order.indexOf(claimId) : order.length)
    const alternatives = ofField.filter((claim) => claim.rank === 'normal').sort((a, b) => place(a.id) - place(b.id))
    const withheld = withholdings.get(field)
    const view: FieldView = {
      value: preferred ? withoutNulls(JSON.parse(preferred.value)) : null,
      claimId: preferred?.id ?? null,
      citations: preferred ? citationsOf(preferred.id) : [],
      alternatives: alternatives.map((claim) => ({ claimId: claim.id, value: withoutNulls(JSON.parse(claim.value)), rank: 'normal' as const, citations: citationsOf(claim.id) })),
      ...(withheld ? { withheld } : {}),
    }
    document[field] = view
  }
  if (events.length) document.events = events.map(({ eventId }) => ({ id: eventId }))
  return new RecordWriter(manager).restoreDocument(prisoner, document)
}

/**
 * Each withheld field's withholding, from the record's history: the latest revision that changed a field says
 * whether it is withheld after it, with the reason and the date (the record writer stores every field change so).
 */
async function currentWithholdings(manager: EntityManager, prisonerId: string): Promise<Map<PrisonerField, Withholding>> {
  const revisions = await manager.find(RevisionEntity, { where: { prisonerId }, order: { version: 'DESC' }, select: { diff: true, version: true } })
  const found = new Map<PrisonerField, Withholding | null>()
  for (const { diff } of revisions) {
    for (const [field, { after }] of fieldDiffs(readDiff(diff))) if (!found.has(field)) found.set(field, after.withheld ?? null)
  }
  return new Map([...found].filter((entry): entry is [PrisonerField, Withholding] => entry[1] !== null))
}
