import { LONG_NAME_KEY, foldName, nameKeyGroups, pairKeys } from './name-keys'

/**
 * The SQL of name search, in one place for the app (prisoners.repository.ts) and the benchmark's raw
 * baseline (bench/baseline-server.ts), so that both run the same queries.
 *
 * A search runs two statements: `postingsQuery` counts the rows of each word key of the query, then
 * `matchingClaimsQuery` reads the name claims in which every word of the query matches a word. The
 * second starts from the smallest set of candidates that surely holds every match:
 * - for a query of two or more words, the claims that hold the pair key of its two rarest words (a full
 *   name: "Aliaksandr Kavalenka" reads the few Kavalenkas called Aliaksandr, not every Kavalenka), plus
 *   the rare names too long to have all their pairs stored (name-keys.ts, storedNameKeys);
 * - otherwise the claims that hold a key of its rarest word;
 * and keeps those in which every word of the query matches, so a candidate found by a shortened pair key
 * is checked like any other. SQLite is told the join order (CROSS JOIN): left to itself it starts from the
 * 100,000 visible records.
 */

/** Each word of a query, as the keys that any spelling of it has; empty when the query has no letters. */
export const queryWords = (q: string): string[][] => nameKeyGroups(q)

/** Counts the rows of each word key: `SELECT key, n`. */
export function postingsQuery(words: string[][]): { sql: string; params: string[] } {
  const keys = words.flat()
  return { sql: `SELECT key, COUNT(*) AS n FROM name_keys WHERE key IN (${marks(keys)}) GROUP BY key`, params: keys }
}

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
 * The claims whose name matches every word of `q`, with their record's sort name and a score, or null when
 * some word matches no stored key at all. `where` holds conditions on the record `p` (visibility, filters).
 */
export function matchingClaimsQuery(
  q: string,
  words: string[][],
  counts: ReadonlyMap<string, number>,
  where: { sql: string[]; params: unknown[] },
): { sql: string; params: unknown[] } | null {
  const postings = (word: string[]) => word.reduce((sum, key) => sum + (counts.get(key) ?? 0), 0)
  if (words.length === 0 || words.some((word) => postings(word) === 0)) return null
  const [rarest, ...others] = [...words].sort((a, b) => postings(a) - postings(b))
  // Two words that share a key may both match one word of a name, for which no pair is stored.
  const partner = others.find((word) => !word.some((key) => rarest.includes(key)))
  const start = partner ? [...pairKeys(rarest, partner), LONG_NAME_KEY] : rarest
  const checked = partner ? words : others
  const folded = foldName(q)
  return {
    sql: `SELECT p.id, p.sort_name AS sortName, c.id AS claimId, c.value, c.rank,
         CASE WHEN c.folded = ? THEN 4 WHEN instr(c.folded, ?) > 0 THEN 2 ELSE 0 END
           + CASE WHEN c.rank = 'preferred' THEN 1 ELSE 0 END AS score
       FROM name_keys k CROSS JOIN claims c ON c.id = k.claim_id CROSS JOIN prisoners p ON p.id = c.prisoner_id
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
