import { Database } from '../../db/database'
import { FieldError, ProblemError } from '../../errors'
import { QuoteLocator } from './quote-locator'

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
// An entry holds an article's text and, once a quote needed folding, its folded copy and offset maps:
// about 150 kB for a 12,000-character article, so 256 of them stay under 40 MB. Volunteers cite the same
// few sources in a row; a text not cached costs one read and an indexOf.
const LOCATOR_CACHE_SIZE = 256
const locators = new Map<string, QuoteLocator>()

function locatorFor(sha256: string, content: string): QuoteLocator {
  let locator = locators.get(sha256)
  if (!locator) {
    locator = new QuoteLocator(content)
    if (locators.size >= LOCATOR_CACHE_SIZE) locators.delete(locators.keys().next().value as string)
    locators.set(sha256, locator)
  }
  return locator
}

function claimsOf(fields: Record<string, FieldInput>): Located[] {
  return Object.entries(fields).flatMap(([field, input]) => [
    { path: `/${field}`, claim: input },
    ...(input.alternatives ?? []).map((claim, i) => ({ path: `/${field}/alternatives/${i}`, claim })),
  ])
}

/** Why a quote was not found, with the passage it comes closest to and where the two part, so it can be fixed. */
function notFound(quote: string, sourceId: string, title: string, text: QuoteLocator): string {
  const where = `the quote does not occur in the archived text of source ${sourceId} ("${title}")`
  const near = text.nearest(quote)
  if (!near) return `${where}, nor anything close to it: copy the words from GET /v1/sources/${sourceId}/content`
  const parting =
    near.readFrom === 'end'
      ? `before "${near.agreed}…" the quote has "…${near.quoteHas}" where the source has "…${near.sourceHas}"`
      : near.quoteHas
        ? `after "…${near.agreed}" the quote has "${near.quoteHas}…" where the source has "${near.sourceHas}…"`
        : 'the quote goes on past the end of the source'
  return `${where}. Closest passage (characters ${near.start} to ${near.end}): "${near.passage}"; ${parting}`
}

function fail(slug: 'validation-failed' | 'uncited-value' | 'unknown-source' | 'quote-not-found', errors: FieldError[]) {
  if (errors.length > 0) {
    throw new ProblemError(slug, errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
  }
}

/**
 * Checks the evidence of a write, in the order a volunteer can fix it: every value cited (invariant 1),
 * every cited source existing, every quote found in its source's archived text (invariant 2).
 * Each stage reports all of its failures at once. Returns the citations with the offsets of their quotes.
 */
export function checkEvidence(db: Database, fields: Record<string, FieldInput>): Record<string, CheckedField> {
  const located = claimsOf(fields)

  fail(
    'validation-failed',
    located
      .filter(({ claim }) => claim.value === null && claim.citations.length > 0)
      .map(({ path }) => ({ path: `${path}/citations`, message: 'a null value clears the field and takes no citations' })),
  )
  fail(
    'uncited-value',
    located
      .filter(({ claim }) => claim.value !== null && claim.citations.length === 0)
      .map(({ path }) => ({
        path: `${path}/citations`,
        message: `${path.slice(1)} has a value but no citation; add the source and its exact words`,
      })),
  )

  // Sources never change once archived, so they are read outside the transaction, on the read connection.
  const sourceIds = [...new Set(located.flatMap(({ claim }) => claim.citations.map((c) => c.sourceId)))]
  const sources = sourceIds.length
    ? db.all<{ id: string; title: string; contentSha256: string | null }>(
        `SELECT id, title, content_sha256 AS contentSha256 FROM sources WHERE id IN (${sourceIds.map(() => '?').join(',')})`,
        sourceIds,
      )
    : []
  const byId = new Map(sources.map((source) => [source.id, source]))
  const citationsWith = (predicate: (sourceId: string, quote: string) => string | null): FieldError[] =>
    located.flatMap(({ path, claim }) =>
      claim.citations.flatMap((citation, i) => {
        const message = predicate(citation.sourceId, citation.quote)
        return message ? [{ path: `${path}/citations/${i}`, message }] : []
      }),
    )
  fail(
    'unknown-source',
    citationsWith((sourceId) => (byId.has(sourceId) ? null : `source ${sourceId} does not exist; add it first with POST /v1/sources`)),
  )

  const texts = new Map<string, QuoteLocator>()
  for (const source of sources) {
    if (!source.contentSha256) continue
    const cached = locators.get(source.contentSha256)
    if (cached) {
      texts.set(source.id, cached)
    } else {
      const { content } = db.get<{ content: string | null }>('SELECT content FROM sources WHERE id = ?', [source.id])!
      if (content !== null) texts.set(source.id, locatorFor(source.contentSha256, content))
    }
  }
  const locate = (sourceId: string, quote: string) => texts.get(sourceId)?.locate(quote) ?? null
  fail(
    'quote-not-found',
    citationsWith((sourceId, quote) =>
      texts.has(sourceId) && !locate(sourceId, quote) ? notFound(quote, sourceId, byId.get(sourceId)!.title, texts.get(sourceId)!) : null,
    ),
  )

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
