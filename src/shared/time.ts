/** Timestamps are ISO-8601 text in UTC, with milliseconds: sortable as strings on every database. */
export function now(): string {
  return new Date().toISOString()
}
