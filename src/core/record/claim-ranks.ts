import type { ClaimRank } from '../../db/entities/claim.entity'
import { ProblemError } from '../../errors'
import type { CitationView, FieldView } from '../document/fields'

/** The claim an editor re-ranks: its id, its value, and its citations as reads show them. */
export interface RankedClaim {
  id: string
  value: unknown
  citations: CitationView[]
}

/**
 * A field as it reads after an editor gives one of its claims a new rank (of a record's field or an event's):
 * the claim is taken out of the field and put back where its rank says; a new preferred claim makes the old one
 * an alternative (`demoted`, whose stored rank the caller sets to normal). 409 when the rank is the one it has.
 */
export function reRanked(current: FieldView, target: RankedClaim & { rank: ClaimRank }, rank: ClaimRank): { view: FieldView; demoted: string | null } {
  if (target.rank === rank) throw new ProblemError('conflict', `Claim ${target.id} is already ${rank}.`)
  let view: FieldView = {
    ...(current.claimId === target.id ? { value: null, claimId: null, citations: [] } : current),
    alternatives: current.alternatives.filter((alternative) => alternative.claimId !== target.id),
  }
  let demoted: string | null = null
  if (rank === 'preferred') {
    if (view.claimId) {
      view.alternatives.unshift({ claimId: view.claimId, value: view.value, rank: 'normal', citations: view.citations })
      demoted = view.claimId
    }
    view = { ...view, value: target.value, claimId: target.id, citations: target.citations }
  } else if (rank === 'normal') {
    view.alternatives.push({ claimId: target.id, value: target.value, rank: 'normal', citations: target.citations })
  }
  return { view, demoted }
}

/** The citations of a claim as the field shows them, when it is in the field (preferred or an alternative). */
export function citationsInField(current: FieldView, claimId: string): CitationView[] | undefined {
  return claimId === current.claimId ? current.citations : current.alternatives.find((alternative) => alternative.claimId === claimId)?.citations
}
