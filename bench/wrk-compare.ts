import path from 'node:path'
import { runOn } from './cores'
import { LoadResult, ServerChild, getJson, memoryOf, startServer, stopServer, waitIdle } from './load'
import { wrkLoad } from './wrk'

/**
 * The reads under wrk against two baselines (issue 28, docs/design.md §6): the app as `npm start` runs it
 * (production limits, the request log on), a bare Fastify 5 route, and a plain node:http server, the two baselines
 * with the same SQL on the same database (baseline-reads.ts). app/Fastify says what the app adds to the framework,
 * Fastify/node:http what the framework costs. The three servers share one core (bench/cores.ts), wrk the others;
 * rounds alternate app, Fastify, node:http, so that a disturbance of the machine hits all three alike.
 */

export interface WrkRow {
  name: string
  app: LoadResult
  fastify: LoadResult
  node: LoadResult
}

export interface WrkComparison {
  rows: WrkRow[]
  connections: number
  durationSeconds: number
  rounds: number
  /** The app's peak RSS over the comparison, in MB. */
  appPeakRssMb: number
}

interface Inputs {
  ids: string[]
  cursors: string[]
  queries: string[]
  execArgv: string[]
}

/** Distinct requests each run picks from (wrk picks at random among them, in its Lua script). */
const VARIETY = 2_000

/** Rounds of one server as one figure: requests/s over all rounds, p50 averaged, the worst p99. */
function combine(rounds: LoadResult[]): LoadResult {
  const sum = (pick: (r: LoadResult) => number) => rounds.reduce((total, r) => total + pick(r), 0)
  return {
    requestsPerSecond: sum((r) => r.ok) / sum((r) => r.durationSeconds),
    p50: Math.round((sum((r) => r.p50) / rounds.length) * 10) / 10,
    p99: Math.round(Math.max(...rounds.map((r) => r.p99)) * 10) / 10,
    requests: sum((r) => r.requests),
    ok: sum((r) => r.ok),
    failures: sum((r) => r.failures),
    durationSeconds: sum((r) => r.durationSeconds),
  }
}

export async function compareUnderWrk(
  location: string,
  inputs: Inputs,
  { connections, durationSeconds, rounds, log }: { connections: number; durationSeconds: number; rounds: number; log: (line: string) => void },
): Promise<WrkComparison> {
  const sample = <T>(items: T[]) => Array.from({ length: Math.min(VARIETY, items.length) }, (_, i) => items[Math.floor((i * items.length) / Math.min(VARIETY, items.length))])
  const scenarios = [
    { name: 'GET one', requests: sample(inputs.ids).map((id) => ({ path: `/v1/prisoners/${id}` })) },
    { name: 'List of 50, first page', requests: [{ path: '/v1/prisoners?limit=50' }] },
    { name: 'List of 50, cursor page', requests: sample(inputs.cursors).map((cursor) => ({ path: `/v1/prisoners?limit=50&cursor=${cursor}` })) },
    { name: 'Name search', requests: sample(inputs.queries).map((q) => ({ path: `/v1/prisoners?q=${encodeURIComponent(q)}` })) },
  ]
  const app = await startServer('app (npm start defaults)', path.join(__dirname, 'app-server.js'), location, inputs.execArgv, { args: ['defaults'], quiet: true })
  const fastify = await startServer('Fastify baseline', path.join(__dirname, 'baseline-server.js'), location, [], { args: ['fastify'] })
  const node = await startServer('node:http baseline', path.join(__dirname, 'baseline-server.js'), location, [], { args: ['node'] })
  const servers = [app, fastify, node]
  try {
    for (const server of servers) {
      const answers = await Promise.all(scenarios.map((s) => getJson(server.port, s.requests[0].path)))
      if (answers.some((a) => a.status !== 200)) throw new Error(`${server.name} does not answer the wrk scenarios: ${answers.map((a) => a.status).join(', ')}`)
      runOn(server.process.pid!, 'servers')
    }
    const run = (server: ServerChild, requests: { path: string }[], seconds = durationSeconds) =>
      waitIdle(server.port).then(() => wrkLoad({ port: server.port, connections, durationSeconds: seconds, requests }))
    log('Warming up under wrk (not counted)')
    for (const server of servers) for (const { requests } of scenarios) await run(server, requests, 2)
    await memoryOf(app, true)
    const rows: WrkRow[] = []
    for (const { name, requests } of scenarios) {
      log(`- wrk: ${name}`)
      const measured: LoadResult[][] = [[], [], []]
      for (let round = 0; round < rounds; round++) {
        for (const [i, server] of servers.entries()) measured[i].push(await run(server, requests))
      }
      const [a, f, n] = measured.map(combine)
      rows.push({ name, app: a, fastify: f, node: n })
      log(`  app ${a.requestsPerSecond.toFixed(0)}/s, Fastify ${f.requestsPerSecond.toFixed(0)}/s, node:http ${n.requestsPerSecond.toFixed(0)}/s: app/Fastify ${(a.requestsPerSecond / f.requestsPerSecond).toFixed(2)}×`)
    }
    return { rows, connections, durationSeconds, rounds, appPeakRssMb: (await memoryOf(app)).peakRssMb }
  } finally {
    for (const server of servers) await stopServer(server)
  }
}

const fixed = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })
const times = (a: LoadResult, b: LoadResult) => `${(a.requestsPerSecond / b.requestsPerSecond).toFixed(2)}×`

/** The targets of issue 28 that the comparison measures. */
export function wrkTargets(comparison: WrkComparison): { target: string; measured: string; pass: boolean }[] {
  return comparison.rows
    .filter((row) => row.name !== 'Name search')
    .map((row) => ({
      target: `${row.name} ≥ 0.8× a bare Fastify route (wrk)`,
      measured: times(row.app, row.fastify),
      pass: row.app.requestsPerSecond / row.fastify.requestsPerSecond >= 0.8,
    }))
}

/** The comparison's part of RESULTS.md. */
export function wrkSection(comparison: WrkComparison, level: string, engineTitle: string): string[] {
  const { rows, connections, durationSeconds, rounds } = comparison
  return [
    `${level}# Under wrk: the app against a bare Fastify route and node:http on ${engineTitle}`,
    '',
    `wrk (one thread, ${connections} connections, ${durationSeconds} s per run, ${rounds} rounds alternating app, Fastify, node:http), a random pick among ${VARIETY.toLocaleString('en-US')} requests per scenario. The app as \`npm start\` runs it: production limits and the request log on (to /dev/null). The baselines answer the same bodies with the same SQL (bench/baseline-reads.ts): Fastify with one route per read and nothing else, node:http with nothing at all. Requests/s of 2xx answers; latencies in ms; failures are answers of 400 and above and socket errors.`,
    '',
    '| scenario | app req/s | app p50 / p99 | Fastify req/s | Fastify p50 / p99 | node:http req/s | app/Fastify | app/node:http | Fastify/node:http | failures (app / Fastify / node) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      ({ name, app, fastify, node }) =>
        `| ${name} | ${fixed(app.requestsPerSecond)} | ${app.p50} / ${app.p99} | ${fixed(fastify.requestsPerSecond)} | ${fastify.p50} / ${fastify.p99} | ${fixed(node.requestsPerSecond)} | ${times(app, fastify)} | ${times(app, node)} | ${times(fastify, node)} | ${app.failures} / ${fastify.failures} / ${node.failures} |`,
    ),
    '',
    `- App peak RSS during the comparison: ${fixed(comparison.appPeakRssMb)} MB.`,
    '',
  ]
}
