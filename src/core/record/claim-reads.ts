import type { ClaimRank } from '../../db/entities/claim.entity'
import type { Reads } from '../../db/read-store'
import type { CitationView } from '../document/fields'

/** A claim as reads show it, with its citations. */
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

/** Where the claims of records and of events are kept: the same columns in tables of their own. */
const CLAIM_TABLES = {
  record: { claims: 'claims', citations: 'citations', owner: 'prisoner_id' },
  event: { claims: 'event_claims', citations: 'event_citations', owner: 'event_id' },
} as const

/** Every claim of one field of a record or an event, preferred first, then alternatives, then deprecated ones; each with its citations. */
export async function readClaims(db: Reads, of: keyof typeof CLAIM_TABLES, ownerId: string, field: string): Promise<ClaimView[]> {
  const { claims: claimTable, citations: citationTable, owner } = CLAIM_TABLES[of]
  const claims = await db.all<Omit<ClaimView, 'citations'> & { value: string }>(
    `SELECT id, value, rank, reason, version AS "introducedIn", created_at AS "createdAt" FROM ${claimTable}
     WHERE ${owner} = ? AND field = ?
     ORDER BY CASE rank WHEN 'preferred' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, created_at, id`,
    [ownerId, field],
  )
  const citations = await db.all<Omit<CitationView, 'private'> & { claimId: string; note: string | null; private: boolean | number }>(
    `SELECT c.claim_id AS "claimId", c.id, c.source_id AS "sourceId", c.quote, c.quote_start AS start, c.quote_end AS "end", c.note, s.private
     FROM ${citationTable} c JOIN ${claimTable} k ON k.id = c.claim_id JOIN sources s ON s.id = c.source_id
     WHERE k.${owner} = ? AND k.field = ? ORDER BY c.created_at, c.id`,
    [ownerId, field],
  )
  return claims.map((claim) => ({
    ...claim,
    value: JSON.parse(claim.value),
    citations: citations
      .filter((c) => c.claimId === claim.id)
      .map(({ claimId: _claimId, note, private: isPrivate, ...c }) => ({ ...c, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) })),
  }))
}
