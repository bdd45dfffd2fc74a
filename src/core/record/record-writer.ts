import { EntityManager, In } from 'typeorm'
import { EventParticipantEntity } from '../../db/entities/event-participant.entity'
import { ClaimEntity, ClaimRank } from '../../db/entities/claim.entity'
import { NameKeyEntity } from '../../db/entities/name-key.entity'
import { PrisonerEntity, ReviewStatus } from '../../db/entities/prisoner.entity'
import { PrisonerIdentifierEntity } from '../../db/entities/prisoner-identifier.entity'
import { Identity, canChange, isDeleted, isPublished, isSearchable, stateOf } from '../access/access'
import { Redacted, Span, citedSources, publicDocument, recordAs } from '../access/public-view'
import { SourceRedactionEntity } from '../../db/entities/source-redaction.entity'
import { ProblemError } from '../../errors'
import { readIfMatch, strongEtag } from '../../shared/etag'
import { now } from '../../shared/time'
import { CheckedClaim, CheckedField } from '../evidence/evidence'
import { RevisionDiff, writeDiff } from '../document/revision-diff'
import { requireServable } from './document-check'
import { foldName, sortName, storedNameKeys } from '../search/name-keys'
import { SEARCHED_NAMES } from '../search/name-keys-rebuild'
import { COLUMN_FIELDS, NAMES_FIELDS, columnValue, declarationOf, namesColumn } from '../document/record-fields'
import { Change, SubjectWriter } from './subject-writer'
import {
  AlternativeView,
  CitationView,
  EMPTY_FIELD,
  EventLink,
  ExternalIdentifier,
  FieldView,
  PRISONER_FIELDS,
  PrisonerDocument,
  PrisonerField,
  Withholding,
} from '../document/fields'

/**
 * What a write answers: the record as reads will show it, and its ETag; as everyone reads it, and whole for
 * editors where that differs (recordAs in core/access picks the caller's).
 */
export interface WrittenRecord {
  id: string
  document: string
  etag: string
  editorDocument: string | null
  editorEtag: string | null
  reviewStatus: ReviewStatus
}

/** The stored record whole, as editors read it and as every write starts from. */
export function fullDocument(prisoner: Pick<PrisonerEntity, 'document' | 'editorDocument'>): PrisonerDocument {
  const document = JSON.parse(prisoner.editorDocument ?? prisoner.document) as PrisonerDocument
  // A document an instance of an older version wrote during a rolling upgrade may lack a newer field: empty, then.
  for (const field of PRISONER_FIELDS) document[field] ??= EMPTY_FIELD
  return document
}

/** What a write answers when it changes nothing: the record as it is. */
export function asWritten(prisoner: PrisonerEntity): WrittenRecord {
  const { id, document, etag, editorDocument, editorEtag, reviewStatus } = prisoner
  return { id, document, etag, editorDocument, editorEtag, reviewStatus }
}

export type { Change } from './subject-writer'

/** JSON with object keys sorted: two equal values give the same text, whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))) : item,
  )
}

/** A field's claims as what they assert: values and evidence, without the ids they were stored under. */
type Evidence = Pick<CitationView, 'sourceId' | 'quote' | 'start' | 'end'> & { note?: string | null }

function assertions(field: { value: unknown; citations: Evidence[] }[]): string {
  return canonical(field.map(({ value, citations }) => [value, citations.map(({ sourceId, quote, start, end, note }) => [sourceId, quote, start, end, note ?? null])]))
}

/** The record's events before and after a write that names `ids`; null when the list stays the same. */
export function eventLinks(before: EventLink[] | undefined, ids: string[]): { before: EventLink[]; after: EventLink[] } | null {
  const was = before ?? []
  const after = [...new Set(ids)].sort().map((id) => ({ id }))
  return canonical(was) === canonical(after) ? null : { before: was, after }
}

/** Whether writing `checked` (and `events`) over `document` would change nothing: every field already says exactly that. */
export function changesNothing(document: PrisonerDocument, checked: Record<string, CheckedField>, events?: string[]): boolean {
  if (events !== undefined && eventLinks(document.events, events)) return false
  return (Object.entries(checked) as [PrisonerField, CheckedField][]).every(([field, { preferred, alternatives }]) => {
    const view = document[field]
    const stored = [...(view.value === null ? [] : [view]), ...view.alternatives]
    const sent = [...(preferred ? [preferred] : []), ...alternatives]
    return (view.value === null) === (preferred === null) && assertions(stored) === assertions(sent)
  })
}

export function serialise(document: PrisonerDocument): string {
  const { id, version, createdAt, updatedAt } = document
  const ordered: Record<string, unknown> = { id, version }
  for (const field of PRISONER_FIELDS) ordered[field] = document[field]
  if (document.events?.length) ordered.events = document.events
  return JSON.stringify({ ...ordered, createdAt, updatedAt })
}

/** The columns lists filter and sort on, from the public document: a withheld value is matched by no filter. */
function columnsOf(document: PrisonerDocument) {
  const name = document.name.value as string | null
  const destination = document.destination.value as { country: string } | null
  const withheld = Object.fromEntries(PRISONER_FIELDS.flatMap((field) => (document[field].withheld ? [[field, document[field].withheld]] : [])))
  return {
    withheld: Object.keys(withheld).length ? JSON.stringify(withheld) : null,
    name,
    sortName: sortName(name),
    nationality: document.nationality.value as string | null,
    status: document.status.value as string | null,
    destinationCountry: destination?.country ?? null,
    // The columns each declaration names (release_date…), copying the public value as it is.
    ...Object.fromEntries(COLUMN_FIELDS.map((field) => [declarationOf(field).column!.property, columnValue(field, document[field].value)])),
    // The lists of names some declare (recognition's organisations), folded for `?recognizedBy=`.
    ...Object.fromEntries(NAMES_FIELDS.map((field) => [declarationOf(field).names!.property, namesColumn(field, document[field].value)])),
  }
}

/** The ids of other registries the public reads in a document (none when withheld: its value is null there). */
function identifiersOf(document: PrisonerDocument): ExternalIdentifier[] {
  return (document.identifiers?.value as ExternalIdentifier[] | null | undefined) ?? []
}

/** What a record's claim stores beside the shared columns: a name's folded form, which ranks searches by spelling. */
const recordClaimExtras = (field: string, value: unknown) => ({ folded: field === 'name' ? foldName(value as string) : null })

/** Whether anonymous readers see the record (a new, unsaved record is not seen yet). */
function isPublic(prisoner: PrisonerEntity): boolean {
  return prisoner.version > 0 && isPublished(prisoner)
}

/** 428 without If-Match, 412 when it is not the record's current ETag (docs/design.md §2, invariant 4). */
export function requireCurrent(ifMatch: string | undefined, etag: string): void {
  if (!ifMatch) {
    throw new ProblemError(
      'precondition-required',
      `Send If-Match with the ETag of the record you read (GET it first); its current ETag is ${etag}.`,
    )
  }
  if (ifMatch.trim() === '*') {
    throw new ProblemError('precondition-required', 'If-Match: * would overwrite whatever the record holds now; send the ETag of the record you read.')
  }
  const sent = readIfMatch(ifMatch)
  if ('malformed' in sent) {
    throw new ProblemError('invalid-request', `If-Match ${sent.malformed} is not an ETag. Send the ETag of the record as you read it, such as ${etag}.`, [
      { path: 'if-match', message: `send the ETag header of the record as you read it, such as ${etag} (with or without its double quotes)` },
    ])
  }
  if (!sent.tags.includes(etag)) {
    const why = sent.tags.length === 0 && sent.weak ? 'a weak ETag (W/…) never matches If-Match' : `If-Match ${ifMatch} is not its current ETag ${etag}`
    throw new ProblemError('precondition-failed', `The record changed since you read it: ${why}. Read it again and reapply your change.`)
  }
}

/**
 * The steps every write to a record is made of, inside the caller's transaction: replace claims,
 * rebuild the read document, index names, append the revision. Services compose them; nothing else
 * writes to prisoners, claims, citations, name_keys or revisions.
 */
export class RecordWriter {
  constructor(private readonly manager: EntityManager) {}

  /** A record that exists; deleted ones only when asked for (restore). */
  async find(id: string, { deleted = false } = {}): Promise<PrisonerEntity> {
    const prisoner = await this.manager.findOneBy(PrisonerEntity, { id })
    if (!prisoner || isDeleted(prisoner) !== deleted) {
      throw new ProblemError('not-found', deleted ? `No deleted record with id ${id}.` : `No record with id ${id}.`)
    }
    return prisoner
  }

  /**
   * The record a change acts on, checked in the order that reveals nothing: 404 when the caller may not
   * change it (it does not exist for them, its ETag included), then If-Match against its current ETag.
   */
  async loadCurrent(id: string, ifMatch: string | undefined, identity: Identity, { deleted = false } = {}): Promise<PrisonerEntity> {
    const prisoner = await this.find(id, { deleted }).catch(() => null)
    if (!prisoner || !canChange(identity, prisoner)) {
      throw new ProblemError('not-found', deleted ? `No deleted record with id ${id}.` : `No record with id ${id}.`)
    }
    // The ETag the caller reads: an editor's covers withheld values, which must not reach anyone else even hashed.
    requireCurrent(ifMatch, recordAs(identity, prisoner).etag)
    return prisoner
  }

  /** A new record with the given fields, as version 1; `submittedBy` is the key that submitted it, if any. */
  async create(
    id: string,
    fields: Record<string, CheckedField>,
    reviewStatus: ReviewStatus,
    change: Change,
    submittedBy: string | null,
    /** The ids of the events the person took part in (checked to exist by the caller). */
    events?: string[],
  ): Promise<WrittenRecord> {
    if (await this.manager.existsBy(PrisonerEntity, { id })) {
      throw new ProblemError('conflict', `A record with id ${id} already exists.`)
    }
    const at = now()
    const empty = Object.fromEntries(PRISONER_FIELDS.map((field) => [field, EMPTY_FIELD]))
    const before = { id, version: 0, createdAt: at, updatedAt: at, ...empty } as PrisonerDocument
    const prisoner = this.manager.create(PrisonerEntity, { id, version: 0, reviewStatus, deletedAt: null, submittedBy, createdAt: at })
    return this.applyFields(prisoner, before, fields, change, {}, events)
  }

  /**
   * Puts the record's events (`ids`, its rows in event_participants) back into its read documents, as they are
   * and nothing else: derived data, so no new version and no revision (event-links-repair.ts).
   */
  async restoreEvents(prisoner: PrisonerEntity, ids: string[]): Promise<void> {
    const document = fullDocument(prisoner)
    await this.save(prisoner, { ...document, events: [...ids].sort().map((id) => ({ id })) }, {})
  }

  /**
   * Stores documents rebuilt from the record's claims (documents-rebuild.ts) where they differ from the stored
   * ones: derived data, so no new version and no revision. Checked like every document before it is stored.
   */
  async restoreDocument(prisoner: PrisonerEntity, document: PrisonerDocument): Promise<boolean> {
    const same = serialise(document) === (prisoner.editorDocument ?? prisoner.document) && serialise(publicDocument(document)) === prisoner.document
    if (!same) await this.save(prisoner, document, {})
    return !same
  }

  /** Replaces the claims of the given fields, rebuilds the read document and records the revision. */
  async applyFields(
    prisoner: PrisonerEntity,
    before: PrisonerDocument,
    checked: Record<string, CheckedField>,
    change: Change,
    /** What else the revision records beside the fields (e.g. the proposal it applies). */
    also: RevisionDiff = {},
    /** The events the person took part in, replacing the record's list; left as it is when undefined. */
    events?: string[],
  ): Promise<WrittenRecord> {
    const at = now()
    const version = prisoner.version + 1
    const after: PrisonerDocument = { ...before, version, updatedAt: at }
    const subject = this.subject(prisoner.id)
    const fields = Object.keys(checked)
    // Superseded claims stay, deprecated: history and audits can still reach them.
    if (prisoner.version > 0) await subject.supersede(fields, version)
    const made = subject.newFields(checked, version, at, (field) => before[field as PrisonerField].withheld)
    const { views, claims } = made
    const diff: RevisionDiff = { ...also }
    for (const [field, view] of Object.entries(views) as [PrisonerField, FieldView][]) {
      diff[field] = { before: prisoner.version === 0 ? null : before[field], after: view }
      after[field] = view
    }

    const links = events === undefined ? null : eventLinks(before.events, events)
    if (links) {
      after.events = links.after
      diff.events = links
    }

    const wasPublic = isPublic(prisoner)
    const written = await this.save(prisoner, after, {})
    await subject.insert(made)
    if (fields.includes('name')) await this.indexNames(prisoner.id, claims.filter((claim) => claim.field === 'name'))
    if (links) await this.linkEvents(prisoner.id, links.after, at)
    await this.appendRevision(prisoner, wasPublic, change, diff)
    return written
  }

  /** Replaces the record's rows in event_participants: the events list those who took part from there. */
  private async linkEvents(prisonerId: string, events: EventLink[], at: string): Promise<void> {
    await this.manager.delete(EventParticipantEntity, { prisonerId })
    if (events.length) await this.manager.insert(EventParticipantEntity, events.map(({ id }) => ({ eventId: id, prisonerId, createdAt: at })))
  }

  /** A change of the record's state rather than its fields (delete, restore, review): a new version. */
  async changeState(prisoner: PrisonerEntity, state: Partial<PrisonerEntity>, change: Change, diff: RevisionDiff) {
    const document = fullDocument(prisoner)
    const next = { ...document, version: prisoner.version + 1, updatedAt: now() }
    const wasPublic = isPublic(prisoner)
    const written = await this.save(prisoner, next, state)
    await this.appendRevision(prisoner, wasPublic, change, diff)
    return written
  }

  /** Adds a claim to a field (an alternative unless said otherwise); returns it as reads show it. */
  async addClaim(prisoner: PrisonerEntity, field: string, claim: CheckedClaim, at: string): Promise<AlternativeView> {
    const withheld = fullDocument(prisoner)[field as PrisonerField].withheld !== undefined
    return this.subject(prisoner.id).addClaim(field, claim, prisoner.version + 1, at, withheld)
  }

  /** The shared writer of the record's claims, citations and revisions (subject-writer.ts). */
  private subject(prisonerId: string): SubjectWriter {
    return new SubjectWriter(this.manager, 'record', prisonerId, recordClaimExtras)
  }

  /**
   * Withholds a field (`withholding`) or discloses it again (null): its claims are marked, so that search, a
   * source's citations and traces leave them out for everyone but editors, and the record is rewritten.
   */
  async setWithheld(prisoner: PrisonerEntity, field: PrisonerField, withholding: Withholding | null, at: string, change: Change): Promise<WrittenRecord> {
    await this.subject(prisoner.id).markWithheld(field, withholding !== null)
    const { withheld: _was, ...current } = fullDocument(prisoner)[field]
    return this.rewriteField(prisoner, field, withholding ? { ...current, withheld: withholding } : current, at, change)
  }

  /** An editor's ranking of one claim, with the reason; the field's view is rewritten after (rewriteField). */
  async rankClaim(prisoner: PrisonerEntity, claimId: string, rank: ClaimRank, reason: string): Promise<void> {
    await this.subject(prisoner.id).rankClaim(claimId, rank, reason)
  }

  /** Replaces one field's view (its claims were re-ranked or added to) as a new version of the record. */
  async rewriteField(prisoner: PrisonerEntity, field: PrisonerField, view: FieldView, at: string, change: Change): Promise<WrittenRecord> {
    const before = fullDocument(prisoner)
    const wasPublic = isPublic(prisoner)
    const written = await this.save(prisoner, { ...before, [field]: view, version: prisoner.version + 1, updatedAt: at }, {})
    if (field === 'name') await this.indexNames(prisoner.id, await this.manager.findBy(ClaimEntity, { prisonerId: prisoner.id, ...SEARCHED_NAMES }))
    await this.appendRevision(prisoner, wasPublic, change, { [field]: { before: before[field], after: view } })
    return written
  }

  /**
   * Stores the record's new read documents (the public one, and the whole one for editors where they differ),
   * their ETags and the columns that lists filter on.
   */
  private async save(prisoner: PrisonerEntity, document: PrisonerDocument, state: Partial<PrisonerEntity>): Promise<WrittenRecord> {
    const whole = serialise(document)
    const shown = publicDocument(document, await this.redactionsOf(citedSources(document)))
    const body = serialise(shown)
    const editorDocument = body === whole ? null : whole
    // Both documents, as stored, must be what the contract serves (docs/design.md §2, invariant 9).
    requireServable(JSON.parse(whole))
    if (editorDocument) requireServable(JSON.parse(body))
    const stored = { document: body, etag: strongEtag(body), editorDocument, editorEtag: editorDocument && strongEtag(editorDocument) }
    const isNew = prisoner.version === 0
    const identifiersBefore = isNew ? null : identifiersOf(JSON.parse(prisoner.document) as PrisonerDocument)
    Object.assign(prisoner, columnsOf(shown), state, { version: document.version, updatedAt: document.updatedAt, ...stored })
    if (isNew) await this.manager.insert(PrisonerEntity, prisoner)
    else await this.manager.save(PrisonerEntity, prisoner)
    const identifiers = identifiersOf(shown)
    if (canonical(identifiers) !== canonical(identifiersBefore ?? [])) await this.indexIdentifiers(prisoner.id, identifiers)
    return { id: prisoner.id, ...stored, reviewStatus: prisoner.reviewStatus }
  }

  /**
   * Stores the record's public document again, as it now reads (a redaction of a source it cites was added or
   * removed): the record itself does not change, so no version and no revision, only what the public reads.
   */
  async republish(prisoner: PrisonerEntity): Promise<WrittenRecord> {
    return this.save(prisoner, fullDocument(prisoner), {})
  }

  /** The redacted spans of the sources a document cites, which its public document marks (public-view.ts). */
  private async redactionsOf(sourceIds: string[]): Promise<Redacted> {
    const spans = new Map<string, Span[]>()
    if (sourceIds.length === 0) return spans
    for (const { sourceId, start, end } of await this.manager.findBy(SourceRedactionEntity, { sourceId: In(sourceIds) })) {
      spans.set(sourceId, [...(spans.get(sourceId) ?? []), { start, end }])
    }
    return spans
  }

  /** Replaces the record's rows in prisoner_identifiers: its public ids, which lists filter by. */
  private async indexIdentifiers(prisonerId: string, identifiers: ExternalIdentifier[]): Promise<void> {
    await this.manager.delete(PrisonerIdentifierEntity, { prisonerId })
    const rows = [...new Map(identifiers.map(({ scheme, id }) => [`${scheme}:${id}`, { scheme, value: id, prisonerId }])).values()]
    if (rows.length) await this.manager.insert(PrisonerIdentifierEntity, rows)
  }

  /** Replaces the record's name keys; withheld names get none, so no search matches them. */
  private async indexNames(prisonerId: string, nameClaims: Pick<ClaimEntity, 'id' | 'value' | 'withheld'>[]): Promise<void> {
    await this.manager.delete(NameKeyEntity, { prisonerId })
    const rows = nameClaims.filter(isSearchable).flatMap((claim) =>
      storedNameKeys(JSON.parse(claim.value) as string).map((key) => ({ prisonerId, claimId: claim.id, key })),
    )
    if (rows.length) await this.manager.insert(NameKeyEntity, rows)
  }

  /** Appends the revision of the record as just saved; `wasPublic` is whether the public saw it before. */
  private async appendRevision(prisoner: PrisonerEntity, wasPublic: boolean, change: Change, diff: RevisionDiff) {
    await this.subject(prisoner.id).appendRevision({
      version: prisoner.version,
      at: prisoner.updatedAt,
      change,
      public: wasPublic || isPublic(prisoner),
      diff: writeDiff(diff),
      extras: { state: stateOf(prisoner) },
    })
  }
}
