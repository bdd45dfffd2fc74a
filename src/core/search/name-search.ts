import { SQL, type Dialect } from '../../db/dialect'
import { LONG_NAME_KEY, foldName, nameKeyGroups, pairKeys } from './name-keys'

/**
 * The SQL of name search, in one place for the app (prisoners.repository.ts) and the benchmark's raw
 * baseline (bench/baseline-server.ts), so that both run the same query.
 *
 * `matchingClaimsQuery` reads the name claims in which every word of the query matches a word. It starts
 * from a small set of candidates that surely holds every match:
 * - for a query of two or more words, the claims that hold the pair key of two of its words (a full name:
 *   "Aliaksandr Kavalenka" reads the few Kavalenkas called Aliaksandr, not every Kavalenka nor every
 *   Aliaksandr), plus the rare names too long to have all their pairs stored (name-keys.ts, storedNameKeys);
 * - for one word, the claims that hold one of its keys;
 * and keeps those in which every word of the query matches, so a candidate found by a shortened pair key
 * is checked like any other. SQLite is told the join order (dialect.ts, orderedJoin): left to itself it starts
 * from the 100,000 visible records.
 */

/** Each word of a query, as the keys that any spelling of it has; empty when the query has no letters. */
export const queryWords = (q: string): string[][] => nameKeyGroups(q)

export interface MatchingClaim {
  id: string
  sortName: string
  claimId: string
  value: string
  rank: string
  /** 4 same spelling, 2 same spelling in part, 0 another spelling; +1 for a preferred name. */
  score: number
}

/**
 * The claims whose name matches every word of `q` (`words`, from queryWords), with their record's sort name
 * and a score. `where` holds conditions on the record `p` (visibility, filters).
 */
export function matchingClaimsQuery(
  q: string,
  words: string[][],
  where: { sql: string[]; params: unknown[] },
  dialect: Dialect,
): { sql: string; params: unknown[] } {
  const { contains, orderedJoin } = SQL[dialect]
  const [first, ...others] = words
  // Two words that share a key may both match one word of a name, for which no pair is stored.
  const partner = others.find((word) => !word.some((key) => first.includes(key)))
  const start = partner ? [...pairKeys(first, partner), LONG_NAME_KEY] : first
  const checked = partner ? words : others
  const folded = foldName(q)
  return {
    sql: `SELECT p.id, p.sort_name AS "sortName", c.id AS "claimId", c.value, c.rank,
         CASE WHEN c.folded = ? THEN 4 WHEN ${contains('c.folded', '?')} THEN 2 ELSE 0 END
           + CASE WHEN c.rank = 'preferred' THEN 1 ELSE 0 END AS score
       FROM name_keys k ${orderedJoin} claims c ON c.id = k.claim_id ${orderedJoin} prisoners p ON p.id = c.prisoner_id
       WHERE k.key IN (${marks(start)})
         ${checked.map((word) => `AND EXISTS (SELECT 1 FROM name_keys o WHERE o.claim_id = k.claim_id AND o.key IN (${marks(word)}))`).join(' ')}
         AND c.rank <> 'deprecated' AND ${where.sql.join(' AND ')}`,
    params: [folded, folded, ...start, ...checked.flat(), ...where.params],
  }
}

/** One result per person, by their best-matching name claim; best score first, then by name and id. */
export function rankPeople(claims: readonly MatchingClaim[]): MatchingClaim[] {
  const best = new Map<string, MatchingClaim>()
  for (const claim of claims) {
    const current = best.get(claim.id)
    if (!current || claim.score > current.score) best.set(claim.id, claim)
  }
  return [...best.values()].sort(
    (a, b) => b.score - a.score || (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.id < b.id ? -1 : 1),
  )
}

/** One SQL parameter mark for each item. */
export const marks = (items: readonly unknown[]): string => items.map(() => '?').join(',')
