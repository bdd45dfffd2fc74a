import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * The cores the servers under test and the load generator run on (Linux, taskset, at least two cores allowed;
 * BENCH_PIN=0 leaves the scheduler to place them). On one machine they share its cores: unpinned, the load
 * generator's work on every answer (autocannon reading its status line, headers and body) ran on the cores the
 * server under test also needed, so each header line a server sent was counted against that server's own rate,
 * by as much as the scheduler's placement of the moment made it. Pinned, each server has the last core
 * to itself and the load generator the others, as when the clients are other machines, and the rate is the
 * server's own. Pinned only where two servers are compared (the read scenarios, app against baseline): two
 * instances, exports and creates use every core, as a deployment would.
 */
export interface Placement {
  /** The server under test: the last core allowed. */
  servers: string
  /** The load generator (this process): the other cores. */
  loadGenerator: string
  /** Every core allowed, for the scenarios that run unpinned. */
  all: string
}

function allowedCores(): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? ''
  return list.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number)
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  })
}

function decidePlacement(): Placement | null {
  if (process.env.BENCH_PIN === '0' || process.platform !== 'linux') return null
  try {
    const cores = allowedCores()
    if (cores.length < 2) return null
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return { servers: String(cores.at(-1)), loadGenerator: cores.slice(0, -1).join(','), all: cores.join(',') }
  } catch {
    return null
  }
}

export const PLACEMENT = decidePlacement()

/** Puts a process, every thread of it, on `cores` (a taskset list); nothing without a placement. */
export function runOn(pid: number, cores: keyof Placement) {
  if (PLACEMENT) execFileSync('taskset', ['-a', '-p', '-c', PLACEMENT[cores], String(pid)], { stdio: 'ignore' })
}
