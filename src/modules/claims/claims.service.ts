import { EntityManager, In } from 'typeorm'
import { SourceEntity } from '../../db/entities/source.entity'
import type { WriteMode } from '../../shared/dry-run'
import { Caller, Identity, PRIVATE_SOURCES } from '../../core/access/access'
import { maskOfStored, publicCitation, readsWithheld, withheldFields } from '../../core/access/public-view'
import { redactedFor } from '../../core/access/redactions'
import { Database } from '../../db/database'
import { CitationEntity } from '../../db/entities/citation.entity'
import { ClaimEntity, ClaimRank } from '../../db/entities/claim.entity'
import { ProblemError, describeProblems } from '../../errors'
import { validateDto } from '../../shared/dto'
import { now } from '../../shared/time'
import { CitationView, FieldView, PrisonerField, Withholding } from '../../core/document/fields'
import { PrisonerWriteDto } from '../../core/document/record-write.dto'
import { RecordWriter, WrittenRecord, fullDocument } from '../../core/record/record-writer'
import { checkEvidence } from '../../core/evidence/evidence'
import { citationsInField, reRanked } from '../../core/record/claim-ranks'
import { AddClaimDto, DiscloseDto, WithholdDto } from './claims.dto'
import { RankClaimDto } from '../../core/record/rank-claim.dto'
import { ClaimView, readClaims } from '../../core/record/claim-reads'
import { actorOf } from '../../core/access/actors'

export interface FieldClaims {
  field: PrisonerField
  claims: ClaimView[]
  withheld?: Withholding
}

function citationView(row: CitationEntity, isPrivate: boolean): CitationView {
  const { id, sourceId, quote, quoteStart: start, quoteEnd: end, note } = row
  return { id, sourceId, quote, start, end, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) }
}

/** A claim's citations as the record shows them, each of a private source marked so (the public sees only that). */
async function citationsOf(manager: EntityManager, claimId: string): Promise<CitationView[]> {
  const rows = await manager.find(CitationEntity, { where: { claimId }, order: { createdAt: 'ASC', id: 'ASC' } })
  const sourceIds = [...new Set(rows.map((row) => row.sourceId))]
  const privateSources = new Set(sourceIds.length ? (await manager.findBy(SourceEntity, { id: In(sourceIds), ...PRIVATE_SOURCES })).map((s) => s.id) : [])
  return rows.map((row) => citationView(row, privateSources.has(row.sourceId)))
}

/** Every claim of a field, and the editorial decisions on them: add an alternative, choose the preferred. */
export class ClaimsService {
  constructor(private readonly db: Database) {}

  /**
   * All claims of one field, preferred first, deprecated ones included; as the caller may read them (core/access):
   * none of a withheld field, and citations of private sources as such, except to editors.
   */
  async list(prisonerId: string, field: PrisonerField, record: { withheld: string | null; editorDocument: string | null }, identity: Identity): Promise<FieldClaims> {
    const editor = readsWithheld(identity)
    const withheld = withheldFields(record.withheld)[field]
    if (withheld && !editor) return { field, claims: [], withheld }
    const claims = await readClaims(this.db, 'record', prisonerId, field)
    const [mask, redacted] = [maskOfStored(record), await redactedFor(this.db, identity)]
    const shown = editor ? claims : claims.map((claim) => ({ ...claim, citations: claim.citations.map((citation) => publicCitation(citation, mask, redacted)) }))
    return { field, claims: shown, ...(withheld ? { withheld } : {}) }
  }

  /** An editor records what another source says, as an alternative with its own citations. The checks of a
   *  whole record's write run on it as on a field of one, so their errors are turned to point into this body. */
  async addAlternative(id: string, field: PrisonerField, ifMatch: string | undefined, input: AddClaimDto, caller: Caller, mode: WriteMode = {}): Promise<WrittenRecord> {
    // The value follows the rules of its field: the write DTO checks it, and its errors point here.
    await pointingHere(`/${field}`, () => validateDto(PrisonerWriteDto, { [field]: { value: input.value, citations: input.citations } }, 'body'))
    if (input.value === null) {
      throw new ProblemError('validation-failed', 'An alternative needs a value.', [{ path: '/value', message: 'must not be null' }])
    }
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      const checked = await pointingHere(`/${field}/alternatives/0`, () =>
        checkEvidence(this.db, { [field]: { value: null, citations: [], alternatives: [{ value: input.value, citations: input.citations }] } }, caller),
      )
      const at = now()
      const alternative = await writer.addClaim(prisoner, field, checked[field].alternatives[0], at)
      const current = fullDocument(prisoner)[field]
      const view: FieldView = { ...current, alternatives: [...current.alternatives, alternative] }
      return writer.rewriteField(prisoner, field, view, at, { action: 'update', actor: actorOf(caller), comment: input.reason ?? `Added an alternative ${field}` })
    }, mode)
  }

  /**
   * An editor withholds a field: from now on only editors read its value, its claims and their citations, and
   * search no longer finds it; everyone else reads the reason and the date. The field keeps its claims, so
   * disclosing it later gives back exactly what it held.
   */
  withhold(id: string, field: PrisonerField, ifMatch: string | undefined, input: WithholdDto, caller: Caller, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      const current = fullDocument(prisoner)[field]
      if (current.withheld) throw new ProblemError('conflict', `The ${field} of record ${id} is already withheld (${current.withheld.reason}, since ${current.withheld.since}).`)
      if (current.value === null && current.alternatives.length === 0) {
        throw new ProblemError('conflict', `The ${field} of record ${id} has no value to withhold: it is unknown.`)
      }
      const at = now()
      return writer.setWithheld(prisoner, field, { reason: input.reason, since: at }, at, { action: 'withhold', actor: actorOf(caller), comment: input.comment })
    }, mode)
  }

  /** An editor publishes a withheld field again, as it stands: its value, claims and citations. */
  disclose(id: string, field: PrisonerField, ifMatch: string | undefined, input: DiscloseDto, caller: Caller, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      if (!fullDocument(prisoner)[field].withheld) throw new ProblemError('conflict', `The ${field} of record ${id} is not withheld.`)
      return writer.setWithheld(prisoner, field, null, now(), { action: 'disclose', actor: actorOf(caller), comment: input.comment })
    }, mode)
  }

  /** An editor re-ranks a claim: chooses the preferred value, or demotes or deprecates one, with a reason. */
  rank(id: string, field: PrisonerField, ifMatch: string | undefined, input: RankClaimDto, caller: Caller, mode: WriteMode = {}): Promise<WrittenRecord> {
    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const prisoner = await writer.loadCurrent(id, ifMatch, caller)
      const target = await manager.findOneBy(ClaimEntity, { id: input.claimId, prisonerId: id, field })
      if (!target) {
        throw new ProblemError('validation-failed', `Claim ${input.claimId} is not a claim of ${field} of this record.`, [
          { path: '/claimId', message: `see GET /v1/prisoners/${id}/fields/${field} for its claims` },
        ])
      }
      const rank = input.rank as ClaimRank
      const at = now()
      const current = fullDocument(prisoner)[field]
      const citations = citationsInField(current, target.id) ?? (await citationsOf(manager, target.id))
      const { view, demoted } = reRanked(current, { id: target.id, value: JSON.parse(target.value), rank: target.rank, citations }, rank)
      if (demoted) await writer.rankClaim(prisoner, demoted, 'normal', `no longer preferred: ${input.reason}`)
      await writer.rankClaim(prisoner, target.id, rank, input.reason)
      return writer.rewriteField(prisoner, field, view, at, { action: 'update', actor: actorOf(caller), comment: `${field}: claim ${target.id} ${rank}: ${input.reason}` })
    }, mode)
  }
}

/** Runs a check written for a record's body with its errors pointing into a smaller body: `prefix` removed. */
async function pointingHere<T>(prefix: string, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check()
  } catch (error) {
    if (error instanceof ProblemError && error.errors) {
      const errors = error.errors.map((e) => ({ ...e, path: e.path.replace(prefix, '') }))
      throw new ProblemError(error.slug, describeProblems(errors, 'the body'), errors)
    }
    throw error
  }
}
