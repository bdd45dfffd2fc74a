import type { FastifyReply } from 'fastify'

/** How a write runs: for real, or as a dry run that checks everything and rolls back (`?dryRun=true`). */
export interface WriteMode {
  dryRun?: boolean
}

/** Whether the request asked for a dry run; when it did, its answer says so (`Dry-Run: true`). */
export function dryRunOf(query: WriteMode, reply: FastifyReply): boolean {
  if (query.dryRun !== true) return false
  reply.header('dry-run', 'true')
  return true
}

/** Ids a save would make: they name nothing, so a dry run's answer leaves them out. */
const MADE_IDS = new Set(['claimId'])

function withoutMadeIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMadeIds)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).filter(([key]) => !MADE_IDS.has(key)).map(([key, inner]) => [key, withoutMadeIds(inner)]))
}

/**
 * Answers a dry run (the DryRun schema, response-schemas.ts): 200, that nothing was saved and what `would` have
 * happened, and what would have been saved. `made`: the thing itself would be new, so its `id` is left out too.
 * `warnings`: the values of the write that no quote of theirs seems to say (a record's write, value-support.ts).
 */
export function sendDryRun(reply: FastifyReply, would: string, wouldBe?: object, { made = false, warnings }: { made?: boolean; warnings?: unknown[] } = {}) {
  const shown = wouldBe === undefined ? undefined : (withoutMadeIds(wouldBe) as Record<string, unknown>)
  if (shown && made) delete shown.id
  const answer = {
    saved: false,
    message: `Checked, nothing saved: this would ${would}. To do it, send the same request with dryRun=false.`,
    ...(shown === undefined ? {} : { wouldBe: shown }),
    ...(warnings === undefined ? {} : { warnings }),
  }
  return reply.code(200).type('application/json').send(JSON.stringify(answer))
}
