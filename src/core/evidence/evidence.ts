import { isUUID, maxLength } from 'class-validator'
import { Database } from '../../db/database'
import { Identity, readableSources } from '../access/access'
import { Span, overlaps, readsWithheld } from '../access/public-view'
import { redactionsOf } from '../access/redactions'
import { FieldError, ProblemError, describeProblems } from '../../errors'
import { MAX_QUOTE_LENGTH } from '../../shared/cited-field.dto'
import { QuoteLocation, QuoteLocator, SearchBudgetSpent } from './quote-locator'
import { Found } from './text-search'
import { WorkBudget } from './work-budget'

/** A field of a write as the client sends it. */
export interface ClaimInput {
  value: unknown
  citations: { sourceId: string; quote: string; note?: string }[]
}
export interface FieldInput extends ClaimInput {
  alternatives?: ClaimInput[]
}

export interface CheckedCitation {
  sourceId: string
  quote: string
  note: string | null
  start: number | null
  end: number | null
  /** The source is private: reads show the public only that a private source supports the value. */
  private: boolean
}
export interface CheckedClaim {
  value: unknown
  citations: CheckedCitation[]
}
/** A field whose evidence passed invariants 1 and 2; `preferred` is null when the write clears it. */
export interface CheckedField {
  preferred: CheckedClaim | null
  alternatives: CheckedClaim[]
}

interface Located {
  path: string
  claim: ClaimInput
}

// Archived texts never change through the API, so a compiled text is keyed by the hash of its content.
// An entry holds a text and, once a quote needed folding, its folded copy and offset maps: about 12 bytes a
// character, so the cache is bounded by the characters it holds (about 50 MB at most), not by a count of texts,
// which would let 256 sources of a million characters each outgrow the heap. That is some 300 articles of
// 12,000 characters; volunteers cite the same few sources in a row, and a text not cached costs one read.
const LOCATOR_CACHE_CHARACTERS = 4_000_000
const locators = new Map<string, QuoteLocator>()
let cachedCharacters = 0

function locatorFor(sha256: string, content: string): QuoteLocator {
  let locator = locators.get(sha256)
  if (!locator) {
    locator = new QuoteLocator(content)
    for (const [oldest, entry] of locators) {
      if (cachedCharacters + locator.length <= LOCATOR_CACHE_CHARACTERS) break
      locators.delete(oldest)
      cachedCharacters -= entry.length
    }
    locators.set(sha256, locator)
    cachedCharacters += locator.length
  }
  return locator
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Every claim of a write with its path; what is not even an object is left to the shape check. */
function claimsOf(fields: Record<string, FieldInput>): Located[] {
  return Object.entries(fields).flatMap(([field, input]) => {
    if (!isObject(input)) return []
    const alternatives = Array.isArray(input.alternatives) ? input.alternatives : []
    return [
      { path: `/${field}`, claim: input },
      ...alternatives.flatMap((claim, i) => (isObject(claim) ? [{ path: `/${field}/alternatives/${i}`, claim }] : [])),
    ]
  })
}

/** Why a quote was not found, with the passage it comes closest to and where the two part, so it can be fixed. */
function notFound(quote: string, sourceId: string, title: string, text: QuoteLocator, budget: WorkBudget, prefix?: Found): string {
  // Typographic quotation marks: a message is read inside a JSON string, where "…" would show as \"…\".
  const where = `the quote does not occur in the archived text of source ${sourceId} (“${title}”)`
  let near
  try {
    near = text.nearest(quote, budget, prefix)
  } catch (error) {
    if (!(error instanceof SearchBudgetSpent)) throw error
    return `${where}; the closest passage was not looked for, as this request has done all the searching one request may: find the words with GET /v1/sources/${sourceId}/passages`
  }
  if (!near) return `${where}, nor anything close to it: copy the words from GET /v1/sources/${sourceId}/content`
  const parting =
    near.readFrom === 'end'
      ? `before “${near.agreed}…” the quote has “…${near.quoteHas}” where the source has “…${near.sourceHas}”`
      : near.quoteHas
        ? `${near.agreed ? `after “…${near.agreed}”` : 'from its start'} the quote has “${near.quoteHas}…” where the source has “${near.sourceHas}…”`
        : 'the quote goes on past the end of the source'
  return `${where}. Closest passage: “${near.passage}”; ${parting}`
}

type EvidenceSlug = 'validation-failed' | 'uncited-value' | 'unknown-source' | 'quote-not-found' | 'payload-too-large'

/** The problems of a write's evidence, by kind, in the order a volunteer fixes them. */
export type EvidenceProblems = [EvidenceSlug, FieldError[]][]

/** One answer naming every problem; its type is that of the first kind, the most basic one. */
export function evidenceError(problems: EvidenceProblems): ProblemError | null {
  const found = problems.filter(([, errors]) => errors.length > 0)
  if (found.length === 0) return null
  const errors = found.flatMap(([, list]) => list)
  return new ProblemError(found[0][0], describeProblems(errors, 'the evidence'), errors)
}

// A citation whose shape is wrong is the shape check's to report; the evidence check leaves it alone. That includes
// a quote longer than any may be, by the very rule of the shape check (CitationInput): its search would grow with
// its length before the refusal, and a sourceId that is no UUID: it would reach the database's query of the sources
// (PostgreSQL refuses a NUL in a parameter with an error, not an empty answer).
const wellFormed = (citation: unknown): citation is { sourceId: string; quote: string } =>
  typeof citation === 'object' &&
  citation !== null &&
  typeof (citation as { sourceId?: unknown }).sourceId === 'string' &&
  isUUID((citation as { sourceId: string }).sourceId) &&
  typeof (citation as { quote?: unknown }).quote === 'string' &&
  maxLength((citation as { quote: string }).quote, MAX_QUOTE_LENGTH)

const UNCHECKED =
  'was not checked: its quotes need more searching of archived texts than one request may do; send these citations in a request of their own'

/**
 * Checks the evidence of a write: every value cited (invariant 1), every cited source existing, every quote
 * found in its source's archived text (invariant 2). Every problem is reported at once, each at its path;
 * on a body whose shape is partly wrong it checks what is well formed, so that shape and evidence problems
 * can be answered together. Returns the citations with the offsets of their quotes, when there is no problem.
 * A private source exists only for those who read it (editors): to anyone else, whether a quote is in its
 * text would be an answer about words they may not read.
 */
export async function evidenceProblems(
  db: Database,
  fields: Record<string, FieldInput>,
  identity: Identity,
): Promise<{ problems: EvidenceProblems; locate: Locate; privateSources: Set<string> }> {
  const located = claimsOf(fields).filter(({ claim }) => claim.value !== undefined && Array.isArray(claim.citations))
  const nullCited = located
    .filter(({ claim }) => claim.value === null && claim.citations.length > 0)
    .map(({ path }) => ({ path: `${path}/citations`, message: 'a null value clears the field and takes no citations' }))
  const uncited = located
    .filter(({ claim }) => claim.value !== null && claim.citations.length === 0)
    .map(({ path }) => ({ path: `${path}/citations`, message: `${path.slice(1)} has a value but no citation; add the source and its exact words`, reason: 'uncited' as const }))

  // Sources never change once archived, so they are read outside the transaction, on the read connection.
  const sourceIds = [...new Set(located.flatMap(({ claim }) => claim.citations.filter(wellFormed).map((c) => c.sourceId)))]
  const readable = readableSources(identity)
  const sources = sourceIds.length
    ? await db.all<{ id: string; title: string; contentSha256: string | null; private: boolean | number }>(
        `SELECT id, title, content_sha256 AS "contentSha256", private FROM sources WHERE id IN (${sourceIds.map(() => '?').join(',')})
         AND ${readable.sql}`,
        [...sourceIds, ...readable.params],
      )
    : []
  const privateSources = new Set(sources.filter((source) => Boolean(source.private)).map((source) => source.id))
  const byId = new Map(sources.map((source) => [source.id, source]))
  const citationsWith = (predicate: (sourceId: string, quote: string) => string | null): FieldError[] =>
    located.flatMap(({ path, claim }) =>
      claim.citations.flatMap((citation, i) => {
        const message = wellFormed(citation) ? predicate(citation.sourceId, citation.quote) : null
        return message ? [{ path: `${path}/citations/${i}`, message }] : []
      }),
    )
  const unknown = citationsWith((sourceId) => (byId.has(sourceId) ? null : `source ${sourceId} does not exist; add it first with POST /v1/sources`)).map(
    (error) => ({ ...error, reason: 'unknown-source' as const }),
  )

  // One budget for the whole write (work-budget.ts): reading a text not cached, and every search in it, take from it.
  const budget = new WorkBudget()
  const texts = new Map<string, QuoteLocator>()
  const unreadable = new Set<string>()
  for (const source of sources) {
    if (!source.contentSha256) continue
    const cached = locators.get(source.contentSha256)
    if (cached) {
      texts.set(source.id, cached)
    } else if (!unreadable.has(source.id)) {
      await budget.yieldTurn()
      const { content } = (await db.get<{ content: string | null }>('SELECT content FROM sources WHERE id = ?', [source.id]))!
      if (content === null) continue
      if (budget.take(content.length)) texts.set(source.id, locatorFor(source.contentSha256, content))
      else unreadable.add(source.id)
    }
  }
  // Each quote is searched for once, however often this write or its caller asks (checkEvidence asks again).
  type Searched = { at: QuoteLocation | null; prefix?: Found } | SearchBudgetSpent
  const found = new Map<string, Searched>()
  const search = (sourceId: string, quote: string): Searched => {
    const key = `${sourceId}\u0000${quote}`
    if (!found.has(key)) {
      try {
        found.set(key, texts.get(sourceId)?.search(quote, budget) ?? { at: null })
      } catch (error) {
        if (!(error instanceof SearchBudgetSpent)) throw error
        found.set(key, error)
      }
    }
    return found.get(key)!
  }
  const locate: Locate = (sourceId, quote) => {
    const searched = search(sourceId, quote)
    return searched instanceof SearchBudgetSpent ? null : searched.at
  }
  // Every quote is searched for before any closest passage is: whether each is in its source comes first. Each
  // search, and each closest passage, is one bounded piece of work; between them other requests get their turn.
  const cited = located.flatMap(({ claim }) => claim.citations.filter((citation) => wellFormed(citation) && texts.has(citation.sourceId)))
  for (const { sourceId, quote } of cited) {
    await budget.yieldTurn()
    search(sourceId, quote)
  }
  const closest = new Map<string, string>()
  for (const { sourceId, quote } of cited) {
    const searched = search(sourceId, quote)
    const key = `${sourceId}\u0000${quote}`
    if (searched instanceof SearchBudgetSpent || searched.at || closest.has(key)) continue
    await budget.yieldTurn()
    closest.set(key, notFound(quote, sourceId, byId.get(sourceId)!.title, texts.get(sourceId)!, budget, searched.prefix))
  }
  const unchecked = citationsWith((sourceId, quote) =>
    unreadable.has(sourceId) || (texts.has(sourceId) && search(sourceId, quote) instanceof SearchBudgetSpent) ? UNCHECKED : null,
  )
  const notInSource = citationsWith((sourceId, quote) => closest.get(`${sourceId}\u0000${quote}`) ?? null)
  // A quote of a redacted span would publish what an editor withheld: the caller learns that, and nothing of where.
  const redacted = readsWithheld(identity) ? new Map<string, Span[]>() : await redactionsOf(db, [...texts.keys()])
  const inRedacted = citationsWith((sourceId, quote) => {
    const at = redacted.size > 0 ? locate(sourceId, quote) : null
    return at && (redacted.get(sourceId) ?? []).some((span) => overlaps(span, at)) ? 'this passage of the source is withheld; it cannot be quoted' : null
  })
  return {
    problems: [
      ['validation-failed', nullCited],
      ['uncited-value', uncited],
      ['unknown-source', unknown],
      ['quote-not-found', notInSource],
      ['validation-failed', inRedacted],
      ['payload-too-large', unchecked],
    ],
    locate,
    privateSources,
  }
}

type Locate = (sourceId: string, quote: string) => QuoteLocation | null

/** The evidence check of a well-formed write: its checked fields, or a 422 naming every problem at once. */
export async function checkEvidence(db: Database, fields: Record<string, FieldInput>, identity: Identity): Promise<Record<string, CheckedField>> {
  const { problems, locate, privateSources } = await evidenceProblems(db, fields, identity)
  const error = evidenceError(problems)
  if (error) throw error

  const check = (claim: ClaimInput): CheckedClaim => ({
    value: claim.value,
    citations: claim.citations.map((citation) => {
      const at = locate(citation.sourceId, citation.quote)
      return {
        sourceId: citation.sourceId,
        quote: citation.quote,
        note: citation.note ?? null,
        start: at?.start ?? null,
        end: at?.end ?? null,
        private: privateSources.has(citation.sourceId),
      }
    }),
  })
  return Object.fromEntries(
    Object.entries(fields).map(([field, input]) => [
      field,
      {
        preferred: input.value === null ? null : check(input),
        alternatives: (input.alternatives ?? []).map(check),
      },
    ]),
  )
}
