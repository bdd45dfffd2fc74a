import { IsOptional, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

/**
 * A DELETE's reason travels in its query string, which shares the request head with the headers: Node refuses a
 * head over 16 KiB with a 431 before any route runs. A character may take 4 bytes of UTF-8, each sent as `%XX`
 * (12 characters of URL), so 1,000 characters (12,000 at worst) leave room for the headers a browser sends.
 */
const QUERY_COMMENT_MAX = 1000
/** In a body (restore) the reason may be as long as a change's comment. */
const BODY_COMMENT_MAX = 2000

/** The optional reason of a state change, kept in the record's history, of at most `max` characters. */
function Reason(max: number): PropertyDecorator {
  const decorators = [
    JSONSchema({ description: `Why: kept in the record's history (at most ${max.toLocaleString('en')} characters).` }),
    IsOptional(),
    IsString(),
    Length(1, max),
  ]
  return (target, key) => decorators.forEach((decorate) => decorate(target, key as string))
}

/** The body of a restore: its reason. */
export class StateChangeDto {
  @Reason(BODY_COMMENT_MAX)
  comment?: string
}

/** The query string of a DELETE: its reason, short enough that any reason it allows fits a request's head. */
export class StateChangeQuery {
  @Reason(QUERY_COMMENT_MAX)
  comment?: string
}

/** The example body of a restore, for Swagger UI (on the body, not the field: a DELETE's query has the same field, and no example). */
export const RESTORE_EXAMPLE = { example: { comment: 'Deleted by mistake: restored as it was.' } }
