import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PLACEMENT } from './cores'
import type { LoadOptions, LoadResult } from './load'

/**
 * Load from `wrk` (Debian's package), a load generator in C: it spends almost nothing per answer, where autocannon
 * spends JavaScript time that compresses every ratio toward 1 (issue 28). The requests come from a Lua script
 * written for the run: a random pick among the paths (and bodies) given, so cursors, ids and searches vary as in
 * the autocannon scenarios, and a `done` hook that prints the figures as one line of JSON.
 */

/** Where wrk is, or null (the wrk scenarios are then skipped, and the report says why). */
export function wrkBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

/** A Lua long string holding `text` exactly: its brackets' level is one the text does not contain. */
function luaString(text: string): string {
  let level = 0
  while (text.includes(`]${'='.repeat(level)}]`)) level++
  const equals = '='.repeat(level)
  // A long string drops a newline right after its opening bracket: one more keeps a leading newline.
  return `[${equals}[\n${text}]${equals}]`
}

function script(method: string, headers: Record<string, string>, requests: { path: string; body?: string }[]): string {
  const list = (values: string[]) => `{\n${values.map((value) => `  ${luaString(value)},`).join('\n')}\n}`
  return `
local method = ${luaString(method)}
local headers = {}
${Object.entries(headers)
  .map(([name, value]) => `headers[${luaString(name)}] = ${luaString(value)}`)
  .join('\n')}
local paths = ${list(requests.map((r) => r.path))}
local bodies = ${list(requests.map((r) => r.body ?? ''))}
local count = #paths
math.randomseed(28)

request = function()
  local i = math.random(count)
  local body = bodies[i]
  if body == "" then body = nil end
  return wrk.format(method, paths[i], headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"durationUs":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`
}

export interface WrkOptions extends Omit<LoadOptions, 'next' | 'overallRate'> {
  /** The requests to pick from at random, as many as the scenario's variety needs (a few thousand at most). */
  requests: { path: string; body?: string }[]
}

/**
 * One bounded wrk run against 127.0.0.1 only, one thread on the load generator's cores (bench/cores.ts). Failures
 * are answers of 400 and above (wrk counts no 3xx as failures; these reads answer none) and socket errors.
 */
export function wrkLoad({ port, connections, durationSeconds, method = 'GET', headers = {}, requests }: WrkOptions): Promise<LoadResult> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'registry-wrk-'))
  const file = path.join(folder, 'requests.lua')
  writeFileSync(file, script(method, headers, requests))
  const args = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--timeout', '10s', '-s', file, `http://127.0.0.1:${port}`]
  const [command, commandArgs] = PLACEMENT ? ['taskset', ['-c', PLACEMENT.loadGenerator, 'wrk', ...args]] : ['wrk', args]
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(folder, { recursive: true, force: true })
      const line = /^WRK (\{.*\})$/m.exec(stdout)
      if (error || !line) return reject(new Error(`wrk failed: ${error?.message ?? 'no figures'}\n${stderr}${stdout}`))
      const figures = JSON.parse(line[1]) as Record<'requests' | 'durationUs' | 'status' | 'connect' | 'read' | 'write' | 'timeout' | 'p50' | 'p99', number>
      const failures = figures.status + figures.connect + figures.read + figures.write + figures.timeout
      const seconds = figures.durationUs / 1e6
      const ok = figures.requests - figures.status
      resolve({
        requestsPerSecond: ok / seconds,
        p50: figures.p50 / 1000,
        p99: figures.p99 / 1000,
        requests: figures.requests,
        ok,
        failures,
        durationSeconds: seconds,
      })
    })
  })
}
