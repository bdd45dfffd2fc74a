import { randomUUID } from 'node:crypto'
import { EntityManager, In } from 'typeorm'
import { Database } from '../../db/database'
import { CitationEntity } from '../../db/entities/citation.entity'
import { ClaimEntity } from '../../db/entities/claim.entity'
import { NameKeyEntity } from '../../db/entities/name-key.entity'
import { PrisonerEntity } from '../../db/entities/prisoner.entity'
import { RevisionAction, RevisionEntity } from '../../db/entities/revision.entity'
import { ProblemError } from '../../errors'
import { etagMatches, strongEtag } from '../../shared/etag'
import { now } from '../../shared/time'
import { CheckedClaim, CheckedField, FieldInput, checkEvidence } from '../sources/evidence'
import { foldName, nameKeys } from './name-keys'
import { CitationView, EMPTY_FIELD, FieldView, PRISONER_FIELDS, PrisonerDocument, PrisonerField } from './prisoner-fields'
import { PrisonerWriteDto } from './prisoners.dto'

/** What a write answers: the record as reads will show it, and its ETag. */
export interface WrittenRecord {
  id: string
  document: string
  etag: string
}

export interface WriteOptions {
  actor: string
  /** Only the seed chooses ids, so that re-seeding gives every record the same one. */
  id?: string
}

// Records without a name sort after every named one (U+FFFF follows every character in use).
const UNKNOWN_NAME_SORT = '\uffff'

function requestedFields(input: PrisonerWriteDto): Record<string, FieldInput> {
  return Object.fromEntries(PRISONER_FIELDS.filter((field) => input[field] !== undefined).map((f) => [f, input[f]!]))
}

/** A value as stored and shown: a plain JSON value, whatever class the validator built. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

function serialise(document: PrisonerDocument): string {
  const { id, version, createdAt, updatedAt } = document
  const ordered: Record<string, unknown> = { id, version }
  for (const field of PRISONER_FIELDS) ordered[field] = document[field]
  return JSON.stringify({ ...ordered, createdAt, updatedAt })
}

function columnsOf(document: PrisonerDocument) {
  const name = document.name.value as string | null
  const destination = document.destination.value as { country: string } | null
  return {
    name,
    sortName: name === null ? UNKNOWN_NAME_SORT : foldName(name) || UNKNOWN_NAME_SORT,
    nationality: document.nationality.value as string | null,
    status: document.status.value as string | null,
    releaseDate: document.releaseDate.value as string | null,
    destinationCountry: destination?.country ?? null,
  }
}

function requireCurrent(ifMatch: string | undefined, etag: string): void {
  if (!ifMatch) {
    throw new ProblemError(
      'precondition-required',
      `Send If-Match with the ETag of the record you read (GET it first); its current ETag is ${etag}.`,
    )
  }
  if (!etagMatches(ifMatch, etag)) {
    throw new ProblemError(
      'precondition-failed',
      `The record changed since you read it: If-Match ${ifMatch} is not its current ETag ${etag}. Read it again and reapply your change.`,
    )
  }
}

/** Writes to prisoner records. Every method is one transaction that also appends a revision. */
export class PrisonersService {
  constructor(private readonly db: Database) {}

  create(input: PrisonerWriteDto, options: WriteOptions): Promise<WrittenRecord> {
    const fields = requestedFields(input)
    if (!Object.values(fields).some((field) => field.value !== null)) {
      throw new ProblemError('validation-failed', 'A record needs at least one cited value.', [
        { path: '', message: `give at least one of ${PRISONER_FIELDS.join(', ')} with a value and its citations` },
      ])
    }
    return this.db.transaction(async (manager) => {
      const checked = await checkEvidence(manager, fields)
      const id = options.id ?? randomUUID()
      const at = now()
      if (await manager.existsBy(PrisonerEntity, { id })) {
        throw new ProblemError('conflict', `A record with id ${id} already exists.`)
      }
      const empty = Object.fromEntries(PRISONER_FIELDS.map((field) => [field, EMPTY_FIELD]))
      const before = { id, version: 0, createdAt: at, updatedAt: at, ...empty } as PrisonerDocument
      const prisoner = manager.create(PrisonerEntity, { id, version: 0, reviewStatus: 'published', deletedAt: null, createdAt: at })
      return this.applyFields(manager, prisoner, before, checked, at, 'create', options.actor, input.comment)
    })
  }

  update(id: string, ifMatch: string | undefined, input: PrisonerWriteDto, options: WriteOptions): Promise<WrittenRecord> {
    const fields = requestedFields(input)
    if (Object.keys(fields).length === 0) {
      throw new ProblemError('validation-failed', 'The change names no field.', [
        { path: '', message: `give at least one of ${PRISONER_FIELDS.join(', ')}` },
      ])
    }
    return this.db.transaction(async (manager) => {
      const prisoner = await this.findLive(manager, id)
      requireCurrent(ifMatch, prisoner.etag)
      const checked = await checkEvidence(manager, fields)
      const before = JSON.parse(prisoner.document) as PrisonerDocument
      return this.applyFields(manager, prisoner, before, checked, now(), 'update', options.actor, input.comment)
    })
  }

  remove(id: string, ifMatch: string | undefined, options: WriteOptions & { comment?: string }): Promise<void> {
    return this.db.transaction(async (manager) => {
      const prisoner = await this.findLive(manager, id)
      requireCurrent(ifMatch, prisoner.etag)
      const at = now()
      const document = JSON.parse(prisoner.document) as PrisonerDocument
      const next = { ...document, version: prisoner.version + 1, updatedAt: at }
      await this.save(manager, prisoner, next, { deletedAt: at })
      await this.appendRevision(manager, next, 'delete', options.actor, options.comment, {
        deletedAt: { before: null, after: at },
      })
    })
  }

  private async findLive(manager: EntityManager, id: string): Promise<PrisonerEntity> {
    const prisoner = await manager.findOneBy(PrisonerEntity, { id })
    if (!prisoner || prisoner.deletedAt !== null) {
      throw new ProblemError('not-found', `No record with id ${id}.`)
    }
    return prisoner
  }

  /** Replaces the claims of the given fields, rebuilds the read document and records the revision. */
  private async applyFields(
    manager: EntityManager,
    prisoner: PrisonerEntity,
    before: PrisonerDocument,
    checked: Record<string, CheckedField>,
    at: string,
    action: RevisionAction,
    actor: string,
    comment: string | undefined,
  ): Promise<WrittenRecord> {
    const version = prisoner.version + 1
    const after: PrisonerDocument = { ...before, version, updatedAt: at }
    const claims: ClaimEntity[] = []
    const citations: CitationEntity[] = []
    const toClaim = (field: string, claim: CheckedClaim, rank: 'preferred' | 'normal') => {
      const claimId = randomUUID()
      claims.push(manager.create(ClaimEntity, { id: claimId, prisonerId: prisoner.id, field, value: JSON.stringify(plain(claim.value)), rank, reason: null, createdAt: at }))
      return claim.citations.map((citation): CitationView => {
        const id = randomUUID()
        citations.push(manager.create(CitationEntity, { id, claimId, sourceId: citation.sourceId, quote: citation.quote, quoteStart: citation.start, quoteEnd: citation.end, note: citation.note, createdAt: at }))
        return { id, sourceId: citation.sourceId, quote: citation.quote, start: citation.start, end: citation.end, ...(citation.note ? { note: citation.note } : {}) }
      })
    }
    const diff: Record<string, { before: FieldView | null; after: FieldView }> = {}
    for (const [field, { preferred, alternatives }] of Object.entries(checked) as [PrisonerField, CheckedField][]) {
      const view: FieldView = {
        value: preferred ? plain(preferred.value) : null,
        citations: preferred ? toClaim(field, preferred, 'preferred') : [],
        alternatives: alternatives.map((alternative) => ({
          value: plain(alternative.value),
          rank: 'normal' as const,
          citations: toClaim(field, alternative, 'normal'),
        })),
      }
      diff[field] = { before: action === 'create' ? null : before[field], after: view }
      after[field] = view
    }

    const fields = Object.keys(checked)
    if (action !== 'create') {
      // Superseded claims stay, deprecated: history and audits can still reach them.
      await manager.update(
        ClaimEntity,
        { prisonerId: prisoner.id, field: In(fields), rank: In(['preferred', 'normal']) },
        { rank: 'deprecated', reason: `superseded in version ${version}` },
      )
    }
    const written = await this.save(manager, prisoner, after, {})
    if (claims.length) await manager.insert(ClaimEntity, claims)
    if (citations.length) await manager.insert(CitationEntity, citations)
    if (fields.includes('name')) await this.indexNames(manager, prisoner.id, claims.filter((c) => c.field === 'name'))
    await this.appendRevision(manager, after, action, actor, comment, diff)
    return written
  }

  /** Stores the record's new read document, its ETag and the columns that lists filter on. */
  private async save(
    manager: EntityManager,
    prisoner: PrisonerEntity,
    document: PrisonerDocument,
    extra: Partial<PrisonerEntity>,
  ): Promise<WrittenRecord> {
    const body = serialise(document)
    const etag = strongEtag(body)
    Object.assign(prisoner, columnsOf(document), extra, {
      version: document.version,
      updatedAt: document.updatedAt,
      document: body,
      etag,
    })
    if (document.version === 1) await manager.insert(PrisonerEntity, prisoner)
    else await manager.save(PrisonerEntity, prisoner)
    return { id: prisoner.id, document: body, etag }
  }

  private async indexNames(manager: EntityManager, prisonerId: string, nameClaims: ClaimEntity[]): Promise<void> {
    await manager.delete(NameKeyEntity, { prisonerId })
    const rows = nameClaims.flatMap((claim) =>
      nameKeys(JSON.parse(claim.value) as string).map((key) => ({ prisonerId, claimId: claim.id, key })),
    )
    if (rows.length) await manager.insert(NameKeyEntity, rows)
  }

  private async appendRevision(
    manager: EntityManager,
    document: PrisonerDocument,
    action: RevisionAction,
    actor: string,
    comment: string | undefined,
    diff: Record<string, unknown>,
  ): Promise<void> {
    await manager.insert(RevisionEntity, {
      prisonerId: document.id,
      version: document.version,
      action,
      actor,
      at: document.updatedAt,
      comment: comment ?? null,
      diff: JSON.stringify(diff),
    })
  }
}
