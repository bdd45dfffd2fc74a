import { EntityManager } from 'typeorm'
import type { WriteMode } from '../../shared/dry-run'
import { Caller } from '../../core/access/access'
import { Database } from '../../db/database'
import { CitationEntity } from '../../db/entities/citation.entity'
import { ClaimEntity, ClaimRank } from '../../db/entities/claim.entity'
import { ProblemError, describeProblems } from '../../errors'
import { validateDto } from '../../shared/dto'
import { now } from '../../shared/time'
import { CitationView, FieldView, PrisonerDocument, PrisonerField } from '../../core/record/fields'
import { PrisonerWriteDto } from '../prisoners/prisoners.dto'
import { RecordWriter, WrittenRecord } from '../../core/record/record-writer'
import { checkEvidence } from '../../core/evidence/evidence'
import { AddClaimDto, RankClaimDto } from './claims.dto'

export interface ClaimView {
  id: string
  value: unknown
  rank: ClaimRank
  reason: string | null
  /** The version of the record whose revision introduced the claim. */
  introducedIn: number | null
  createdAt: string
  citations: CitationView[]
}

function citationView(row: CitationEntity): CitationView {
  return { id: row.id, sourceId: row.sourceId, quote: row.quote, start: row.quoteStart, end: row.quoteEnd, ...(row.note ? { note: row.note } : {}) }
}

async function citationsOf(manager: EntityManager, claimId: string): Promise<CitationView[]> {
  const rows = await manager.find(CitationEntity, { where: { claimId }, order: { createdAt: 'ASC', id: 'ASC' } })
  return rows.map(citationView)
}

/** Every claim of a field, and the editorial decisions on them: add an alternative, choose the preferred. */
export class ClaimsService {
  constructor(private readonly db: Database) {}

  /** All claims of one field, preferred first, deprecated ones included. */
  async list(prisonerId: string, field: string): Promise<ClaimView[]> {
    const claims = await this.db.all<Omit<ClaimView, 'citations'> & { value: string }>(
      `SELECT id, value, rank, reason, version AS "introducedIn", created_at AS "createdAt" FROM claims
       WHERE prisoner_id = ? AND field = ?
       ORDER BY CASE rank WHEN 'preferred' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, created_at, id`,
      [prisonerId, field],
    )
    const citations = await this.db.all<CitationView & { claimId: string; note: string | null }>(
      `SELECT c.claim_id AS "claimId", c.id, c.source_id AS "sourceId", c.quote, c.quote_start AS start, c.quote_end AS "end", c.note
       FROM citations c JOIN claims k ON k.id = c.claim_id WHERE k.prisoner_id = ? AND k.field = ? ORDER BY c.created_at, c.id`,
      [prisonerId, field],
    )
    return claims.map((claim) => ({
      ...claim,
      value: JSON.parse(claim.value),
      citations: citations
        .filter((c) => c.claimId === claim.id)
        .map(({ claimId: _claimId, note, ...c }) => ({ ...c, ...(note ? { note } : {}) })),
    }))
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
        checkEvidence(this.db, { [field]: { value: null, citations: [], alternatives: [{ value: input.value, citations: input.citations }] } }),
      )
      const at = now()
      const alternative = await writer.addClaim(prisoner, field, checked[field].alternatives[0], at)
      const current = (JSON.parse(prisoner.document) as PrisonerDocument)[field]
      const view: FieldView = { ...current, alternatives: [...current.alternatives, alternative] }
      return writer.rewriteField(prisoner, field, view, at, { action: 'update', actor: caller.name, comment: input.reason ?? `Added an alternative ${field}` })
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
      if (target.rank === rank) {
        throw new ProblemError('conflict', `Claim ${target.id} is already ${rank}.`)
      }
      const at = now()
      const current = (JSON.parse(prisoner.document) as PrisonerDocument)[field]
      const citations = target.id === current.claimId ? current.citations : current.alternatives.find((a) => a.claimId === target.id)?.citations ?? (await citationsOf(manager, target.id))
      const value = JSON.parse(target.value)

      // Take the claim out of the field, then put it back where its new rank says.
      let view: FieldView = {
        ...(current.claimId === target.id ? { value: null, claimId: null, citations: [] } : current),
        alternatives: current.alternatives.filter((a) => a.claimId !== target.id),
      }
      if (rank === 'preferred') {
        if (view.claimId) {
          view.alternatives.unshift({ claimId: view.claimId, value: view.value, rank: 'normal', citations: view.citations })
          await writer.rankClaim(view.claimId, 'normal', `no longer preferred: ${input.reason}`)
        }
        view = { ...view, value, claimId: target.id, citations }
      } else if (rank === 'normal') {
        view.alternatives.push({ claimId: target.id, value, rank: 'normal', citations })
      }
      await writer.rankClaim(target.id, rank, input.reason)
      return writer.rewriteField(prisoner, field, view, at, { action: 'update', actor: caller.name, comment: `${field}: claim ${target.id} ${rank}: ${input.reason}` })
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
