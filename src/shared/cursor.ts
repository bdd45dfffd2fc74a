import { ProblemError } from '../errors'

/** What each position of a cursor holds: text, a whole number, or a whole number from 0. */
export type CursorPart = 'string' | 'integer' | 'count'

const fits = (value: unknown, part: CursorPart): boolean =>
  part === 'string' ? typeof value === 'string' : Number.isSafeInteger(value) && (part === 'integer' || (value as number) >= 0)

/** Opaque page cursors: the position after the last item, as base64url JSON. */
export function encodeCursor(position: (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

/**
 * The position a cursor holds, checked against the shape its list gives it: a cursor is the client's to
 * send back, and one made by hand must get a 400, never reach SQL as a value of another type.
 */
export function decodeCursor(cursor: string, shape: readonly CursorPart[]): (string | number)[] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(position) && position.length === shape.length && position.every((value, i) => fits(value, shape[i]))) {
      return position as (string | number)[]
    }
  } catch {
    // answered below
  }
  throw invalidCursor()
}

/** The 400 of a cursor this list did not give (also when its position no longer exists). */
export function invalidCursor(): ProblemError {
  return new ProblemError('invalid-request', 'cursor is not the next value of a previous page of this list.', [
    { path: 'cursor', message: 'pass the next value of the previous page, unchanged, with the same filters and sort' },
  ])
}
