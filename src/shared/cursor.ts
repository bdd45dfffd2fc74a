import { ProblemError } from '../errors'

/** Opaque page cursors: the position after the last item, as base64url JSON. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(position) && position.length === length) return position
  } catch {
    // answered below
  }
  throw new ProblemError('invalid-request', 'cursor is not the next value of a previous page of this list.', [
    { path: 'cursor', message: 'pass the next value of the previous page, unchanged, with the same filters and sort' },
  ])
}
