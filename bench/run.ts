import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { encodeCursor } from '../src/shared/cursor'
import { DATA_DIR, ensureDatabase } from './build'
import { AdversarialResult, runAdversarial } from './adversarial'
import { adversarialSection, adversarialSummary, adversarialTargets } from './adversarial-report'
import { PLACEMENT, runOn } from './cores'
import { DATASET_VERSION, Prng, extraRecordBodies, generateDataset } from './dataset'
import { LoadOptions, LoadResult, ServerChild, download, getJson, load, memoryOf, paced, startServer, stopServer, waitIdle } from './load'
import { WrkComparison, compareUnderWrk, wrkSection, wrkTargets } from './wrk-compare'
import { wrkBinary } from './wrk'
import { DEFAULT_DATABASE_URL, PostgresCopy, cloneForRun, ensurePostgres, postgresUnreachable, shownUrl } from './postgres'

/**
 * `npm run bench`: the app against a raw baseline on the same database, in one run (docs/design.md §6), on SQLite
 * and on PostgreSQL: each engine's app against the baseline on the same engine.
 *
 * Environment: BENCH_ENGINES=sqlite,postgres (default: both when PostgreSQL answers at BENCH_DATABASE_URL, else
 * SQLite only), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/registry_bench: the cached copy
 * of the SQLite database, bench/postgres.ts), BENCH_RECORDS (default 100000), BENCH_DURATION seconds per run (10), BENCH_ROUNDS runs of
 * each read scenario on each server, alternating (2),
 * BENCH_CONNECTIONS (50), BENCH_REBUILD=1 to rebuild the cached database, BENCH_CPU_PROF=1 to write a
 * V8 CPU profile of the app child into bench/.data/profiles, BENCH_RESULTS=path to write the report
 * elsewhere than bench/RESULTS.md (e.g. for a quick small run), BENCH_SCENARIOS=get,list,cursor,search,
 * search1,search100,two,export,create,wrk,adversarial to run only some (`two`: two app instances on one database; `wrk`: the reads
 * under wrk against a bare Fastify route and node:http, skipped with a note when wrk is not installed; `adversarial`: one
 * volunteer's hostile inputs against a reader, bench/adversarial.ts) (for profiling one), BENCH_ADVERSARIAL_DURATION seconds of
 * the adversarial scenario (60), BENCH_ADVERSARIAL_INPUTS=1,7 to send only some of its inputs (numbered as in RESULTS.md),
 * BENCH_SEARCH_RATE searches/s of
 * the steady search scenario (100), BENCH_APP_NODE_FLAGS to start the app's Node with flags (e.g.
 * "--max-old-space-size=128"), BENCH_PIN=0 not to pin servers and load generator to cores (bench/cores.ts). Only 127.0.0.1 is ever loaded.
 */

function integerEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}"`)
  return value
}

const RECORDS = integerEnv('BENCH_RECORDS', 100_000, 100)
const DURATION = integerEnv('BENCH_DURATION', 10, 1)
const CONNECTIONS = integerEnv('BENCH_CONNECTIONS', 50, 1)
const ROUNDS = integerEnv('BENCH_ROUNDS', 2, 1)
const CPU_PROFILE = process.env.BENCH_CPU_PROF === '1'
const ADVERSARIAL_DURATION = integerEnv('BENCH_ADVERSARIAL_DURATION', 60, 1)
/** The adversarial inputs to send, by their numbers in RESULTS.md (e.g. "1,7" to try two of them alone); all when unset. */
const ADVERSARIAL_INPUTS = (process.env.BENCH_ADVERSARIAL_INPUTS ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => {
    if (!/^[1-9]\d*$/.test(s)) throw new Error(`BENCH_ADVERSARIAL_INPUTS must list input numbers (from 1) separated by commas, not "${s}"`)
    return Number(s)
  })
const ALL_SCENARIOS = ['get', 'list', 'cursor', 'search', 'search1', 'search100', 'two', 'export', 'create', 'wrk', 'adversarial']
/** The scenarios run against two app instances at once (`two`). */
const TWO_INSTANCE_SCENARIOS = ['get', 'list', 'search']
// A moderate offered load: what a busy advocacy site's visitors searching would send.
const SEARCH_RATE = integerEnv('BENCH_SEARCH_RATE', 100, 1)
const SELECTED = new Set((process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(',')).split(',').map((s) => s.trim()))
for (const name of SELECTED) {
  if (!ALL_SCENARIOS.includes(name)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}"; choose from ${ALL_SCENARIOS.join(', ')}`)
}
const selected = (name: string) => SELECTED.has(name)
/** Whether any scenario that compares the app with the baseline under autocannon runs (all but wrk and the adversarial one). */
const COMPARING = ALL_SCENARIOS.some((name) => name !== 'adversarial' && name !== 'wrk' && selected(name))
const WRK = selected('wrk') ? wrkBinary() : null
const REPO = path.resolve(__dirname, '../..')
const RESULTS_FILE = path.resolve(REPO, process.env.BENCH_RESULTS ?? 'bench/RESULTS.md')
const VISIBLE = "review_status = 'published' AND deleted_at IS NULL"

const log = (line: string) => console.log(line)
const fixed = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** A load result with the server's peak RSS during it. */
type Measured = LoadResult & { peakRssMb: number }

interface Scenario {
  name: string
  description: string
  app: Measured
  baseline?: Measured
}

/** Rounds of one scenario as one figure: requests/s and p50 averaged, the worst p99, the highest memory. */
function combine(rounds: Measured[]): Measured {
  const mean = (pick: (m: Measured) => number) => rounds.reduce((sum, m) => sum + pick(m), 0) / rounds.length
  const sum = (pick: (m: Measured) => number) => rounds.reduce((total, m) => total + pick(m), 0)
  return {
    requestsPerSecond: sum((m) => m.ok) / sum((m) => m.durationSeconds),
    p50: Math.round(mean((m) => m.p50) * 10) / 10,
    p99: Math.max(...rounds.map((m) => m.p99)),
    requests: sum((m) => m.requests),
    ok: sum((m) => m.ok),
    failures: sum((m) => m.failures),
    durationSeconds: sum((m) => m.durationSeconds),
    peakRssMb: Math.max(...rounds.map((m) => m.peakRssMb)),
  }
}

/** One load run on a server that has finished its previous work, with its peak memory during the run. */
async function measure(server: ServerChild, options: Omit<LoadOptions, 'port'>): Promise<Measured> {
  const waited = await waitIdle(server.port)
  if (waited > 1) log(`  (waited ${waited.toFixed(0)} s for the ${server.name} to finish the previous scenario's requests)`)
  await memoryOf(server, true)
  const result = options.overallRate
    ? await paced({ port: server.port, rate: options.overallRate, connections: options.connections, durationSeconds: options.durationSeconds, next: options.next })
    : await load({ port: server.port, ...options })
  return { ...result, peakRssMb: (await memoryOf(server)).peakRssMb }
}

/**
 * The database built from the data set, and what the load needs of the data set: search queries and create
 * bodies (as JSON text). The data set itself, millions of objects, is let go here: the load generator runs
 * in this process, and collecting so large a heap would pause it and count as the servers' latency.
 */
async function prepareInputs(rng: Prng) {
  const t = Date.now()
  const dataset = generateDataset(RECORDS)
  log(`Generated the data set in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  const built = await ensureDatabase(dataset, log)
  log(
    built.built
      ? `Built the database in ${built.stats.seconds.toFixed(0)} s: ${fixed(built.stats.recordsPerSecond)} records/s through PrisonersService.create`
      : `Using the cached database ${path.relative(REPO, built.file)} (built ${built.stats.builtAt} at ${fixed(built.stats.recordsPerSecond)} records/s)`,
  )

  const named = dataset.records.filter((r) => r.names.length > 0)
  const queries = Array.from({ length: 2000 }, () => rng.pick(rng.pick(named).names))
  const createBodies = {
    'in-order': extraRecordBodies(dataset, 30_000, 'in-order').map((body) => JSON.stringify(body)),
    random: extraRecordBodies(dataset, 30_000, 'random').map((body) => JSON.stringify(body)),
  }
  return { built, queries, createBodies }
}

type Engine = 'sqlite' | 'postgres'
const ENGINE_TITLE: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
const PG_URL = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL

/** BENCH_ENGINES, or both engines when PostgreSQL answers; with a note to print when it does not. */
async function chooseEngines(): Promise<{ engines: Engine[]; note?: string }> {
  const raw = process.env.BENCH_ENGINES
  if (raw !== undefined && raw.trim() !== '') {
    const engines = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))]
    for (const engine of engines) {
      if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine "${engine}"; choose from sqlite, postgres`)
    }
    if (engines.includes('postgres')) {
      const why = await postgresUnreachable(PG_URL)
      if (why) throw new Error(`BENCH_ENGINES names postgres, but PostgreSQL does not answer at ${shownUrl(PG_URL)} (BENCH_DATABASE_URL): ${why}`)
    }
    // SQLite first whatever the order given, as in every run before PostgreSQL was measured.
    return { engines: (['sqlite', 'postgres'] as const).filter((engine) => engines.includes(engine)) }
  }
  const why = await postgresUnreachable(PG_URL)
  if (!why) return { engines: ['sqlite', 'postgres'] }
  return {
    engines: ['sqlite'],
    note: `PostgreSQL was not measured: it did not answer at ${shownUrl(PG_URL)} (${why}). Set BENCH_DATABASE_URL to measure it, or BENCH_ENGINES=sqlite.`,
  }
}

/** Several loads at once (one per instance) as one figure: requests/s summed, p50 the mean, p99 the worst. */
function together(results: LoadResult[]): LoadResult & { each: number[] } {
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0)
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond),
    p50: Math.round((sum((r) => r.p50) / results.length) * 10) / 10,
    p99: Math.max(...results.map((r) => r.p99)),
    requests: sum((r) => r.requests),
    ok: sum((r) => r.ok),
    failures: sum((r) => r.failures),
    durationSeconds: Math.max(...results.map((r) => r.durationSeconds)),
    each: results.map((r) => r.requestsPerSecond),
  }
}

/** Rounds of a two-instance load: requests/s the mean (summed over instances), the worst p99. */
function combineTogether(rounds: (LoadResult & { each: number[] })[]): LoadResult & { each: number[] } {
  const mean = (pick: (r: LoadResult) => number) => rounds.reduce((total, r) => total + pick(r), 0) / rounds.length
  return {
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    p50: Math.round(mean((r) => r.p50) * 10) / 10,
    p99: Math.max(...rounds.map((r) => r.p99)),
    requests: rounds.reduce((total, r) => total + r.requests, 0),
    ok: rounds.reduce((total, r) => total + r.ok, 0),
    failures: rounds.reduce((total, r) => total + r.failures, 0),
    durationSeconds: rounds.reduce((total, r) => total + r.durationSeconds, 0),
    each: rounds[0].each.map((_, i) => rounds.reduce((total, r) => total + r.each[i], 0) / rounds.length),
  }
}

interface TwoInstanceRow {
  name: string
  one: Measured
  two: LoadResult & { each: number[] }
}

/** What one engine's part of the run measured. */
interface EngineRun {
  engine: Engine
  scenarios: Scenario[]
  exports: { format: string; status: number; megabytes: number; seconds: number; lines: number; peakRssMb: number }[]
  /** The servers' memory at the end (undefined: no scenario against the baseline ran). */
  appMemory?: Awaited<ReturnType<typeof memoryOf>>
  baselineMemory?: Awaited<ReturnType<typeof memoryOf>>
  two: TwoInstanceRow[]
  /** Whether the two instances answered the same reads byte for byte (undefined: not run). */
  twoAgree?: boolean
  /** The machine's 1-minute load average when the engine's servers started and when they stopped: other work shows here. */
  loadAverage: [number, number]
  /** The reads under wrk against the Fastify and node:http baselines (undefined: not selected, or no wrk). */
  wrk?: WrkComparison
  adversarial?: AdversarialResult
}

/** What every engine's run loads with: the same ids, cursors, names and create bodies. */
interface LoadInputs {
  ids: string[]
  cursors: string[]
  queries: string[]
  createBodies: Record<'in-order' | 'random', string[]>
  pick: <T>(items: readonly T[]) => T
  execArgv: string[]
}

/** The scenarios on one engine (`location`, a file or a URL): the app against the baseline, then the adversarial load. */
async function runEngine(engine: Engine, location: string, inputs: LoadInputs): Promise<EngineRun> {
  const loadAtStart = os.loadavg()[0]
  const compared = COMPARING ? await compareWithBaseline(engine, location, inputs) : { scenarios: [], exports: [], two: [] }
  let wrk: WrkComparison | undefined
  if (WRK) {
    log(`- ${ENGINE_TITLE[engine]}: the reads under wrk, app against Fastify and node:http`)
    wrk = await compareUnderWrk(location, inputs, { connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS, log })
  }
  let adversarial: AdversarialResult | undefined
  if (selected('adversarial')) {
    // Last, on a server of its own with the production limits: its inputs may kill the server.
    log(`- ${ENGINE_TITLE[engine]}: adversarial load, ${ADVERSARIAL_DURATION} s`)
    adversarial = await runAdversarial({ location, execArgv: inputs.execArgv, ids: inputs.ids, pick: inputs.pick, durationSeconds: ADVERSARIAL_DURATION, only: ADVERSARIAL_INPUTS, log })
    log(adversarialSummary(adversarial))
  }
  return { engine, ...compared, wrk, adversarial, loadAverage: [loadAtStart, os.loadavg()[0]] }
}

/** The app and the baseline on the same database: every scenario but the adversarial one. */
async function compareWithBaseline(engine: Engine, location: string, inputs: LoadInputs): Promise<Omit<EngineRun, 'engine' | 'loadAverage' | 'adversarial'>> {
  const { ids, cursors, queries, createBodies, pick, execArgv } = inputs
  const title = ENGINE_TITLE[engine]
  const appScript = path.join(__dirname, 'app-server.js')
  const baselineScript = path.join(__dirname, 'baseline-server.js')
  const app = await startServer('app', appScript, location, execArgv)
  const baseline = await startServer('baseline', baselineScript, location)
  log(`${title}: app on 127.0.0.1:${app.port} (pid ${app.process.pid}), baseline on 127.0.0.1:${baseline.port} (pid ${baseline.process.pid})`)

  const scenarios: Scenario[] = []
  const exports: EngineRun['exports'] = []
  const two: TwoInstanceRow[] = []
  let twoAgree: boolean | undefined
  let appMemory: Awaited<ReturnType<typeof memoryOf>> | undefined
  let baselineMemory: Awaited<ReturnType<typeof memoryOf>> | undefined
  try {
    // Check that both answer what the scenarios expect before timing anything.
    const check = async (server: ServerChild) => {
      const one = await getJson(server.port, `/v1/prisoners/${ids[0]}`)
      const list = await getJson(server.port, `/v1/prisoners?limit=50&cursor=${cursors[0]}`)
      const found = await getJson(server.port, `/v1/prisoners?q=${encodeURIComponent(queries[0])}`)
      const ok = one.status === 200 && list.status === 200 && found.status === 200
      const hits = (found.body as { data?: unknown[] }).data?.length ?? 0
      if (!ok || hits === 0) throw new Error(`${title} ${server.name} does not answer as expected: ${JSON.stringify([one.status, list.status, found.status, hits])}`)
    }
    for (const server of [app, baseline]) await check(server)

    const search = () => ({ path: `/v1/prisoners?q=${encodeURIComponent(pick(queries))}` })
    const allReads: { key: string; name: string; description: string; connections: number; rate?: number; next: () => { path: string } }[] = [
      { key: 'get', name: 'GET one', description: 'GET /v1/prisoners/{id}, a random id of all records', connections: CONNECTIONS, next: () => ({ path: `/v1/prisoners/${pick(ids)}` }) },
      { key: 'list', name: 'List of 50, first page', description: 'GET /v1/prisoners?limit=50', connections: CONNECTIONS, next: () => ({ path: '/v1/prisoners?limit=50' }) },
      {
        key: 'cursor',
        name: 'List of 50, cursor page',
        description: 'GET /v1/prisoners?limit=50&cursor=…, random positions across the whole list',
        connections: CONNECTIONS,
        next: () => ({ path: `/v1/prisoners?limit=50&cursor=${pick(cursors)}` }),
      },
      { key: 'search', name: 'Name search', description: 'GET /v1/prisoners?q=…, names in every spelling and script', connections: CONNECTIONS, next: search },
      {
        key: 'search1',
        name: 'Name search, 1 connection',
        description: 'the same, one request at a time: the latency of one search without queueing',
        connections: 1,
        next: search,
      },
      {
        key: 'search100',
        name: `Name search at ${SEARCH_RATE} req/s`,
        description: `the same, ${SEARCH_RATE} searches a second sent on schedule whatever the answers (open loop, up to ${CONNECTIONS} connections, latency counted from when each was due): a steady, realistic load rather than saturation`,
        connections: CONNECTIONS,
        rate: SEARCH_RATE,
        next: search,
      },
    ]
    const reads = allReads.filter((scenario) => selected(scenario.key))

    const run = (server: ServerChild, connections: number, next: () => { path: string }, durationSeconds = DURATION, overallRate?: number) =>
      measure(server, { connections, durationSeconds, next, overallRate })
    // The reads compare two servers: each has a core to itself, the load generator the others (bench/cores.ts).
    for (const [pid, cores] of [[app.process.pid!, 'servers'], [baseline.process.pid!, 'servers'], [process.pid, 'loadGenerator']] as const) runOn(pid, cores)
    if (reads.length) {
      log('Warming up (not counted)')
      for (const server of [app, baseline]) for (const { next, rate } of reads) await run(server, CONNECTIONS, next, 2, rate)
    }
    for (const { name, description, connections, rate, next } of reads) {
      log(`- ${title}: ${name}`)
      // Rounds alternate app and baseline, so that a disturbance of the machine hits both alike.
      const appRounds: Measured[] = []
      const baselineRounds: Measured[] = []
      for (let round = 0; round < ROUNDS; round++) {
        appRounds.push(await run(app, connections, next, DURATION, rate))
        baselineRounds.push(await run(baseline, connections, next, DURATION, rate))
      }
      scenarios.push({ name, description, app: combine(appRounds), baseline: combine(baselineRounds) })
    }

    // Two instances, exports and creates use the machine as a deployment would: every core, as the scheduler places them.
    for (const pid of [app.process.pid!, baseline.process.pid!, process.pid]) runOn(pid, 'all')

    if (selected('two')) {
      // A second app process on the same database, as a second `npm start` behind a load balancer.
      log(`- ${title}: two app instances on one database`)
      const second = await startServer('app 2', appScript, location, execArgv)
      try {
        await check(second)
        // The two answer the same reads byte for byte (the key each made for itself is not in them).
        const probes = [`/v1/prisoners/${ids[0]}`, '/v1/prisoners?limit=50', `/v1/prisoners?limit=50&cursor=${cursors[0]}`, `/v1/prisoners?q=${encodeURIComponent(queries[0])}`]
        twoAgree = true
        for (const probe of probes) {
          const [a, b] = await Promise.all([getJson(app.port, probe), getJson(second.port, probe)])
          if (a.status !== b.status || JSON.stringify(a.body) !== JSON.stringify(b.body)) twoAgree = false
        }
        const twoReads = allReads.filter((scenario) => TWO_INSTANCE_SCENARIOS.includes(scenario.key))
        for (const { next } of twoReads) await run(second, CONNECTIONS, next, 2)
        const half = Math.max(1, Math.floor(CONNECTIONS / 2))
        for (const { name, next } of twoReads) {
          log(`  ${name}`)
          const oneRounds: Measured[] = []
          const twoRounds: (LoadResult & { each: number[] })[] = []
          for (let round = 0; round < ROUNDS; round++) {
            oneRounds.push(await run(app, CONNECTIONS, next))
            await waitIdle(app.port)
            await waitIdle(second.port)
            // Both loads at once from this process, half of the connections each.
            twoRounds.push(
              together(
                await Promise.all([
                  load({ port: app.port, connections: CONNECTIONS - half, durationSeconds: DURATION, next }),
                  load({ port: second.port, connections: half, durationSeconds: DURATION, next }),
                ]),
              ),
            )
          }
          two.push({ name, one: combine(oneRounds), two: combineTogether(twoRounds) })
        }
      } finally {
        await stopServer(second)
      }
    }

    if (selected('export')) {
      log(`- ${title}: export`)
      for (const format of ['ndjson', 'csv']) {
        await waitIdle(app.port)
        await memoryOf(app, true)
        const result = await download(app.port, `/v1/export?format=${format}`)
        const { peakRssMb } = await memoryOf(app)
        exports.push({ format, status: result.status, megabytes: result.bytes / 1024 / 1024, seconds: result.seconds, lines: result.lines, peakRssMb })
      }
    }

    // Last: they add records (to the run's copy of the database).
    const creates = [
      {
        order: 'in-order' as const,
        name: 'Create (POST)',
        description: 'POST /v1/prisoners with an editor key, 10 to 14 citations each, every quote checked against its source; consecutive creates cite the same few sources, as when the people named in one article are entered',
      },
      {
        order: 'random' as const,
        name: 'Create (POST), random sources',
        description: 'the same, each create citing two sources picked at random among all 4,500 (worst case for the cache of compiled source texts)',
      },
    ]
    for (const { order, name, description } of selected('create') ? creates : []) {
      log(`- ${title}: ${name}`)
      const bodies = createBodies[order]
      let nextBody = 0
      const result = await measure(app, {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        method: 'POST',
        headers: { authorization: `Bearer ${app.key}` },
        next: () => ({ path: '/v1/prisoners', body: bodies[nextBody++ % bodies.length] }),
      })
      scenarios.push({ name, description, app: result })
    }

    await waitIdle(app.port)
    appMemory = await memoryOf(app)
    baselineMemory = await memoryOf(baseline)
  } finally {
    await stopServer(app)
    await stopServer(baseline)
  }
  return { scenarios, exports, appMemory, baselineMemory, two, twoAgree }
}

/** Targets (docs/design.md §6), for the scenarios that ran on one engine. */
function targetsOf(run: EngineRun): { target: string; measured: string; pass: boolean }[] {
  const { scenarios } = run
  const get = (name: string) => scenarios.find((s) => s.name === name)
  const targets: { target: string; measured: string; pass: boolean }[] = []
  const ratioTarget = (target: string, name: string, min: number) => {
    const scenario = get(name)
    if (scenario) targets.push({ target, measured: `${ratio(scenario).toFixed(2)}×`, pass: ratio(scenario) >= min })
  }
  ratioTarget('GET one ≥ 0.6× baseline', 'GET one', 0.6)
  ratioTarget('List of 50 ≥ 0.5× baseline (first page)', 'List of 50, first page', 0.5)
  ratioTarget('List of 50 ≥ 0.5× baseline (cursor page)', 'List of 50, cursor page', 0.5)
  const search = get('Name search')
  if (search) targets.push({ target: `Name search p99 ≤ 20 ms (${CONNECTIONS} connections)`, measured: `${search.app.p99} ms`, pass: search.app.p99 <= 20 })
  const searchAlone = get('Name search, 1 connection')
  if (searchAlone) {
    targets.push({ target: 'Name search p99 ≤ 20 ms (1 connection: one search, no queueing)', measured: `${searchAlone.app.p99} ms`, pass: searchAlone.app.p99 <= 20 })
  }
  const searchSteady = get(`Name search at ${SEARCH_RATE} req/s`)
  if (searchSteady) {
    targets.push({ target: `Name search p99 ≤ 20 ms (${SEARCH_RATE} searches/s over ${CONNECTIONS} connections)`, measured: `${searchSteady.app.p99} ms`, pass: searchSteady.app.p99 <= 20 })
  }
  const create = get('Create (POST)')
  if (create) {
    targets.push({
      target: 'Create ≥ 500 records/s with citations (HTTP POST, 50 connections)',
      measured: `${fixed(create.app.requestsPerSecond)} /s`,
      pass: create.app.requestsPerSecond >= 500,
    })
  }
  if (run.appMemory) {
    const appPeakMb = peakOf(run)
    targets.push({ target: 'Memory ≤ 300 MB (app peak RSS, whole run)', measured: `${fixed(appPeakMb)} MB`, pass: appPeakMb <= 300 })
  }
  if (run.wrk) targets.push(...wrkTargets(run.wrk))
  if (run.adversarial) targets.push(...adversarialTargets(run.adversarial))
  return targets
}

const ratio = (s: Scenario) => s.app.requestsPerSecond / s.baseline!.requestsPerSecond

/** The app's peak over the engine's whole run: the kernel's high-water mark, or the highest sample of any scenario. */
const peakOf = ({ appMemory, scenarios, exports }: EngineRun) =>
  Math.max(appMemory?.vmHwmMb ?? 0, ...scenarios.map((s) => s.app.peakRssMb), ...exports.map((e) => e.peakRssMb))

/** One engine's section of RESULTS.md. */
function engineSection(run: EngineRun, level: string, copy: PostgresCopy | undefined): string[] {
  const { engine, scenarios, exports, appMemory, baselineMemory } = run
  const targets = targetsOf(run)
  const rows = scenarios.map((s) => {
    const b = s.baseline
    return `| ${s.name} | ${fixed(s.app.requestsPerSecond)} | ${s.app.p50} | ${s.app.p99} | ${b ? fixed(b.requestsPerSecond) : '—'} | ${b ? b.p50 : '—'} | ${b ? b.p99 : '—'} | ${b ? `${ratio(s).toFixed(2)}×` : '—'} | ${fixed(s.app.peakRssMb)}${b ? ` / ${fixed(b.peakRssMb)}` : ''} | ${s.app.failures}${b ? ` / ${b.failures}` : ''} |`
  })
  const compared =
    engine === 'sqlite'
      ? 'The app and the baseline on one copy of the cached SQLite file (better-sqlite3, WAL); the baseline with better-sqlite3 prepared statements.'
      : `The app and the baseline on one clone of the cached PostgreSQL database (PostgreSQL ${copy?.server.version}, shared_buffers ${copy?.server.sharedBuffers}, on this machine: its server processes share the cores with the app, the baseline and the load generator); the baseline with the same SQL through a pg Pool of 10 connections, as many as the app's read pool. The data: the SQLite database's rows copied as they are (${fixed(copy?.rows ?? 0)} rows, ${copy?.copied ? 'copied in this run' : `cached, copied ${copy?.copiedAt}`} in ${fixed(copy?.seconds ?? 0)} s), so the same ids, documents and ETags.`
  // Only the adversarial scenario ran: no baseline was started.
  const alone =
    engine === 'sqlite'
      ? 'The app on a copy of the cached SQLite file (better-sqlite3, WAL).'
      : `The app on a clone of the cached PostgreSQL database (PostgreSQL ${copy?.server.version}, shared_buffers ${copy?.server.sharedBuffers}, on this machine).`
  const where = appMemory ? compared : alone
  const lines = [
    `${level} ${ENGINE_TITLE[engine]}`,
    '',
    `${where} The machine's load average (1 min) was ${run.loadAverage[0].toFixed(1)} when the servers started and ${run.loadAverage[1].toFixed(1)} when they stopped (the benchmark's own servers and load generator keep 2 to 3 busy; more is other work on the machine).`,
    '',
    `${level}# Targets on ${ENGINE_TITLE[engine]} (docs/design.md §6)`,
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets.map((x) => `| ${x.target} | ${x.measured} | ${x.pass ? 'PASS' : 'MISS'} |`),
    '',
  ]
  if (scenarios.length) {
    lines.push(
      `${level}# Scenarios on ${ENGINE_TITLE[engine]}`,
      '',
      'Requests/s count successful (2xx) answers only; latencies in ms; peak RSS in MB during the scenario; failures are non-2xx answers, errors and timeouts (app / baseline). Before each run the server is left to finish the previous run\'s requests.',
      '',
      '| scenario | app req/s | app p50 | app p99 | baseline req/s | baseline p50 | baseline p99 | app/baseline | peak RSS | failures |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      ...scenarios.map((s) => `- **${s.name}**: ${s.description}.`),
      '',
    )
  }
  if (run.two.length) {
    lines.push(
      `${level}# Two app instances on one ${ENGINE_TITLE[engine]} database`,
      '',
      `Two app processes (\`buildApp\`, as two \`npm start\`) on the same database, the load split between them: two autocannon runs at once from the load generator, ${CONNECTIONS - Math.max(1, Math.floor(CONNECTIONS / 2))} + ${Math.max(1, Math.floor(CONNECTIONS / 2))} connections, req/s summed; against one instance with all ${CONNECTIONS} connections, the two measured alternately (${ROUNDS} rounds each, ${DURATION} s). Before timing, the two instances answered the same four reads (GET one, a first page, a cursor page, a name search) ${run.twoAgree ? 'byte for byte alike' : '**differently**'}.`,
      '',
      `**This machine has ${os.cpus().length} cores**, shared by both instances${engine === 'postgres' ? ', the PostgreSQL server' : ''} and the load generator: the figure shows that two instances on one database work together correctly (no failures) and what a second process costs or gains on the same cores, not how the API scales out on more machines.`,
      '',
      '| scenario | one instance req/s | one p99 | two instances req/s (each) | two p99 | two/one | failures (one / two) |',
      '|---|---|---|---|---|---|---|',
      ...run.two.map(
        (r) =>
          `| ${r.name} | ${fixed(r.one.requestsPerSecond)} | ${r.one.p99} | ${fixed(r.two.requestsPerSecond)} (${r.two.each.map((e) => fixed(e)).join(' + ')}) | ${r.two.p99} | ${(r.two.requestsPerSecond / r.one.requestsPerSecond).toFixed(2)}× | ${r.one.failures} / ${r.two.failures} |`,
      ),
      '',
    )
  }
  if (appMemory && baselineMemory) {
    lines.push(
      `${level}# Writes, export and memory on ${ENGINE_TITLE[engine]}`,
      '',
      ...scenarios
        .filter((s) => s.name.startsWith('Create'))
        .map((s) => `- ${s.name} over HTTP: **${fixed(s.app.requestsPerSecond)} records/s**, p50 ${s.app.p50} ms, p99 ${s.app.p99} ms, peak RSS ${fixed(s.app.peakRssMb)} MB, ${s.app.failures} failures.`),
      ...exports.map(
        (e) =>
          `- Export \`${e.format}\`: status ${e.status}, ${fixed(e.lines)} lines, ${fixed(e.megabytes, 1)} MB in ${e.seconds.toFixed(2)} s (${fixed(e.megabytes / e.seconds, 1)} MB/s), app peak RSS ${fixed(e.peakRssMb)} MB while streaming.`,
      ),
      `- App memory: peak RSS over the whole run **${fixed(peakOf(run))} MB** (kernel VmHWM ${appMemory.vmHwmMb === null ? 'n/a' : `${fixed(appMemory.vmHwmMb)} MB`}; per scenario above, sampled every 100 ms), RSS at the end ${fixed(appMemory.rssMb)} MB, heap used ${fixed(appMemory.heapUsedMb)} MB.`,
      `- Baseline memory: kernel VmHWM ${baselineMemory.vmHwmMb === null ? 'n/a' : `${fixed(baselineMemory.vmHwmMb)} MB`}.`,
      '',
    )
  }
  if (run.wrk) lines.push(...wrkSection(run.wrk, level, ENGINE_TITLE[engine]))
  if (run.adversarial) lines.push(...adversarialSection(run.adversarial, level, ENGINE_TITLE[engine]))
  return lines
}

async function main() {
  const startedAt = new Date()
  log(`Benchmark: ${RECORDS} records, ${DURATION} s per scenario, ${CONNECTIONS} connections, data set ${DATASET_VERSION}`)
  const { engines, note } = await chooseEngines()
  log(`Engines: ${engines.map((e) => ENGINE_TITLE[e]).join(', ')}${note ? ` (${note})` : ''}`)

  // What the load spreads over: every visible record, list positions across the whole order, names in every spelling.
  const rng = new Prng(`bench-load-${DATASET_VERSION}`)
  const { built, queries, createBodies } = await prepareInputs(rng)
  let pgCopy: PostgresCopy | undefined
  if (engines.includes('postgres')) {
    pgCopy = await ensurePostgres(built.file, built.stats, PG_URL, log)
    log(
      pgCopy.copied
        ? `Copied the database into PostgreSQL ${shownUrl(pgCopy.url)}: ${fixed(pgCopy.rows)} rows in ${fixed(pgCopy.seconds)} s`
        : `Using the cached PostgreSQL copy ${shownUrl(pgCopy.url)} (copied ${pgCopy.copiedAt}, ${fixed(pgCopy.rows)} rows)`,
    )
  }

  // The same ids, list positions and names on every engine: PostgreSQL holds the SQLite database's rows.
  const db = new BetterSqlite3(built.file, { readonly: true })
  const ids = (db.prepare(`SELECT id FROM prisoners WHERE ${VISIBLE}`).pluck().all() as string[])
  const order = db.prepare(`SELECT sort_name AS position, id FROM prisoners WHERE ${VISIBLE} ORDER BY sort_name, id`).all() as {
    position: string
    id: string
  }[]
  db.close()
  // Cursors as the app encodes them (src/shared/cursor.ts); the baseline reads the same format.
  const cursors = Array.from({ length: 1000 }, () => {
    const { position, id } = order[rng.int(Math.max(1, order.length - 60))]
    return encodeCursor(['name', position, id])
  })
  const pick = <T>(items: readonly T[]) => items[rng.int(items.length)]

  // The app runs with the Node flags `npm start` gives it (package.json config.nodeFlags), then any of BENCH_APP_NODE_FLAGS.
  const startFlags = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { config: { nodeFlags: string } }).config.nodeFlags
  const execArgv = [
    ...(CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(DATA_DIR, 'profiles')}`] : []),
    ...`${startFlags} ${process.env.BENCH_APP_NODE_FLAGS ?? ''}`.split(' ').filter(Boolean),
  ]
  if (CPU_PROFILE) mkdirSync(path.join(DATA_DIR, 'profiles'), { recursive: true })
  const inputs: LoadInputs = { ids, cursors, queries, createBodies, pick, execArgv }

  const runs: EngineRun[] = []
  for (const engine of engines) {
    if (engine === 'sqlite') {
      // The run works on a copy: the create scenario adds records, and the cache must stay as built.
      const runFile = path.join(DATA_DIR, `run-${process.pid}.sqlite`)
      copyFileSync(built.file, runFile)
      // Written to disk before any load: the kernel writing back 1.7 GB during a scenario stalls the servers' reads.
      const copy = openSync(runFile, 'r+')
      fsyncSync(copy)
      closeSync(copy)
      try {
        runs.push(await runEngine('sqlite', runFile, inputs))
      } finally {
        for (const suffix of ['', '-wal', '-shm']) rmSync(runFile + suffix, { force: true })
      }
    } else {
      // The same for PostgreSQL: a clone of the cached database, dropped at the end.
      const started = Date.now()
      const clone = await cloneForRun(pgCopy!.url)
      log(`Cloned the PostgreSQL database for this run in ${((Date.now() - started) / 1000).toFixed(0)} s`)
      try {
        runs.push(await runEngine('postgres', clone.url, inputs))
      } finally {
        await clone.drop()
      }
    }
  }

  const cpus = os.cpus()
  const machine = `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 1024 ** 3, 1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}`
  const both = runs.length > 1
  const report = [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench\` (bench/run.ts) on ${startedAt.toISOString()}. Figures are from one run on one machine: compare ratios, not absolute numbers, across machines. Each engine's app is compared with the raw baseline on the same engine.`,
    '',
    `- Machine: ${machine}`,
    `- Engines: ${runs.map((r) => ENGINE_TITLE[r.engine]).join(' and ')}${pgCopy ? ` (PostgreSQL ${pgCopy.server.version} on 127.0.0.1, shared_buffers ${pgCopy.server.sharedBuffers}, max_connections ${pgCopy.server.maxConnections})` : ''}`,
    ...(note ? [`- **${note}**`] : []),
    ...(selected('wrk') && !WRK ? ['- **wrk is not installed (Debian: `apt-get install wrk`): the comparison under wrk did not run.**'] : []),
    `- Data: ${fixed(RECORDS)} records (data set ${DATASET_VERSION}), ${fixed(built.stats.sources)} sources with archived text, ${fixed(built.stats.citations)} citations (two per value), built through \`PrisonersService.create\` on SQLite${pgCopy ? '; on PostgreSQL, the same rows copied from the SQLite database' : ''}`,
    `- Build: ${fixed(built.stats.records)} records through \`PrisonersService.create\` on SQLite (validation, evidence check, claims, citations, name keys, revision, read document; one transaction each) in ${fixed(built.stats.seconds)} s: **${fixed(built.stats.recordsPerSecond)} records/s** (${built.built ? 'this run' : `cached, built ${built.stats.builtAt}`}).`,
    `- App: \`node ${execArgv.filter((flag) => !flag.startsWith('--cpu-prof')).map((flag) => `${flag} `).join('')}dist/bench/app-server.js\`: \`buildApp\` from src/app.ts on the benchmark database, an editor key for the creates`,
    `- Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, 127.0.0.1; read scenarios run ${ROUNDS} times on each server, alternating app and baseline (req/s and p50 are the mean, p99 the worst); the app and the baseline each in a child process of their own, the load generator in a third${
      PLACEMENT ? `; in the read scenarios the server under test on core ${PLACEMENT.servers} and the load generator on core ${PLACEMENT.loadGenerator} (bench/cores.ts), the other scenarios on every core` : '; not pinned to cores'
    }${both ? '; the engines one after the other, SQLite first' : ''}`,
    '',
    ...runs.flatMap((run) => engineSection(run, '##', pgCopy)),
  ].join('\n')

  log('')
  log(report)
  writeFileSync(RESULTS_FILE, report)
  log(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}`)
  if (CPU_PROFILE) {
    const profiles = readdirSync(path.join(DATA_DIR, 'profiles')).filter((f) => f.endsWith('.cpuprofile'))
    log(`CPU profiles of the app: ${profiles.map((f) => path.join(DATA_DIR, 'profiles', f)).join(', ')}`)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
