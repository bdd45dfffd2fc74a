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
