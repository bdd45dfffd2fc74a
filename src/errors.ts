/**
 * The one catalogue of problems this API answers with (RFC 9457 problem details).
 * Each entry has a stable slug: clients branch on `type`, never on `title` or `detail`.
 */
export const PROBLEMS = {
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  'missing-body': { status: 400, title: 'The request has no body' },
  'undecodable-body': { status: 400, title: 'The request body is not in the encoding it is labelled with' },
  'invalid-request': { status: 400, title: 'The query string or path has invalid values' },
  unauthorized: { status: 401, title: 'An API key is needed' },
  forbidden: { status: 403, title: 'This API key may not do that' },
  'not-found': { status: 404, title: 'Nothing is here' },
  'method-not-allowed': { status: 405, title: 'This method is not allowed here' },
  'request-timeout': { status: 408, title: 'The request did not arrive in time' },
  conflict: { status: 409, title: 'This conflicts with what is stored' },
  'precondition-failed': { status: 412, title: 'The record changed since you read it' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Send the body as application/json' },
  'unsupported-content-encoding': { status: 415, title: 'The body is compressed in a way this API does not decode' },
  'validation-failed': { status: 422, title: 'The request body breaks the rules of its shape' },
  'uncited-value': { status: 422, title: 'Every value needs at least one citation' },
  'unknown-source': { status: 422, title: 'A citation names a source that does not exist' },
  'quote-not-found': { status: 422, title: "A quote does not occur in its source's archived text" },
  // Capturing a source from its address (src/core/capture): the address is refused, or its server fails or is slow.
  'address-refused': { status: 422, title: 'The address cannot be captured' },
  'precondition-required': { status: 428, title: 'Send If-Match with the ETag you read' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  internal: { status: 500, title: 'Something went wrong on our side' },
  'not-implemented': { status: 501, title: 'This method is not implemented by this API' },
  'upstream-failed': { status: 502, title: "The address's server could not be reached or failed" },
  unavailable: { status: 503, title: 'The database cannot be reached' },
  'database-busy': { status: 503, title: 'The database is busy with another writer' },
  'storage-unavailable': { status: 503, title: 'The database cannot take writes now' },
  'shutting-down': { status: 503, title: 'This instance is shutting down' },
  'upstream-timeout': { status: 504, title: "The address's server did not answer in time" },
} as const satisfies Record<string, { status: number; title: string }>

export type ProblemSlug = keyof typeof PROBLEMS

/** Why a value was refused, for a caller that tells it in its own words (a form): typed, never read from a message. */
export type FieldReason = 'uncited' | 'unknown-source'

/**
 * One offending place in the request: a JSON Pointer into the body (or a parameter name) and why. `subject` and
 * `reason` are for the app's own callers, never answered (problemBody keeps path and message): a form names the
 * field its own way (`nameQuote must…`) and says why in its own words.
 */
export interface FieldError {
  path: string
  message: string
  /** The word `message` begins with that names the field at `path` (`quote` in "quote must be…"). */
  subject?: string
  reason?: FieldReason
}

export function problemType(slug: ProblemSlug): string {
  return `/problems/${slug}`
}

/** Thrown anywhere in the app; the problem-details plugin turns it into the response. */
export class ProblemError extends Error {
  readonly statusCode: number

  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail)
    this.name = 'ProblemError'
    this.statusCode = PROBLEMS[slug].status
  }
}

/** A size in the words a person reads: "2 MB (2097152 bytes)". */
function inBytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024)
  return megabytes >= 1 ? `${Number(megabytes.toFixed(1))} MB (${bytes} bytes)` : `${bytes} bytes`
}

/**
 * The one 413 of every request body, JSON or form, encoded or not: the limit it passed (the configured bodyLimit)
 * and, for a form read part by part, the field or file it was in when it passed it.
 */
export function bodyTooLarge(limit: number, part?: string): ProblemError {
  const whole = `The request body is larger than ${inBytes(limit)}, the most a request body may be`
  if (part === undefined) return new ProblemError('payload-too-large', `${whole}.`)
  return new ProblemError('payload-too-large', `${whole}: it passed that in the form's part "${part}".`, [
    { path: part, message: `is where the form passed ${inBytes(limit)}; send a shorter text or file` },
  ])
}

const ITEM_OF: Record<string, string> = { citations: 'citation', alternatives: 'alternative', charges: 'charge' }

/**
 * Where a problem is, in the words a person reads: `/sentence/citations/0/quote` is "sentence, citation 1, quote",
 * `/releaseDate/value` is "release date, value". A name that is not a JSON Pointer (a form field such as
 * `nameQuote`, a query parameter) stays as given: it is what the person sees on the form.
 */
export function inWords(path: string): string {
  if (path !== '' && !path.startsWith('/')) return path
  const parts = path.split('/').filter(Boolean)
  if (parts.length === 0) return 'the body'
  return parts
    .map((part, i) => (/^\d+$/.test(part) && ITEM_OF[parts[i - 1]] ? `${ITEM_OF[parts[i - 1]]} ${Number(part) + 1}` : part))
    .filter((part, i) => !ITEM_OF[part] || !/^\d+$/.test(parts[i + 1] ?? ''))
    .map((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .join(', ')
}

/** A problem's detail: how many, where, and what, every problem in one sentence a person can read. */
export function describeProblems(errors: FieldError[], where = 'the request', more = 0): string {
  const count = errors.length + more
  const listed = errors.map((e) => `${inWords(e.path)}: ${e.message}`).join('; ')
  return `${count} problem${count === 1 ? '' : 's'} in ${where}: ${listed}${more ? `; and ${more} more` : ''}`
}
