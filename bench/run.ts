import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { encodeCursor } from '../src/shared/cursor'
import { DATA_DIR, ensureDatabase } from './build'
import { DATASET_VERSION, Prng, extraRecordBodies, generateDataset } from './dataset'
import { LoadOptions, LoadResult, ServerChild, download, getJson, load, memoryOf, paced, startServer, stopServer, waitIdle } from './load'

/**
 * `npm run bench`: the app against a raw baseline on the same database, in one run (DESIGN.md §6).
 *
 * Environment: BENCH_RECORDS (default 100000), BENCH_DURATION seconds per run (10), BENCH_ROUNDS runs of
 * each read scenario on each server, alternating (2),
 * BENCH_CONNECTIONS (50), BENCH_REBUILD=1 to rebuild the cached database, BENCH_CPU_PROF=1 to write a
 * V8 CPU profile of the app child into bench/.data/profiles, BENCH_RESULTS=path to write the report
 * elsewhere than bench/RESULTS.md (e.g. for a quick small run), BENCH_SCENARIOS=get,list,cursor,search,
 * search1,search100,export,create to run only some (for profiling one), BENCH_SEARCH_RATE searches/s of
 * the steady search scenario (100), BENCH_APP_NODE_FLAGS to start the app's Node with flags (e.g.
 * "--max-old-space-size=128"). Only 127.0.0.1 is ever loaded.
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
const ALL_SCENARIOS = ['get', 'list', 'cursor', 'search', 'search1', 'search100', 'export', 'create']
// A moderate offered load: what a busy advocacy site's visitors searching would send.
const SEARCH_RATE = integerEnv('BENCH_SEARCH_RATE', 100, 1)
const SELECTED = new Set((process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(',')).split(',').map((s) => s.trim()))
for (const name of SELECTED) {
  if (!ALL_SCENARIOS.includes(name)) throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}"; choose from ${ALL_SCENARIOS.join(', ')}`)
}
const selected = (name: string) => SELECTED.has(name)
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

async function main() {
  const startedAt = new Date()
  log(`Benchmark: ${RECORDS} records, ${DURATION} s per scenario, ${CONNECTIONS} connections, data set ${DATASET_VERSION}`)

  // What the load spreads over: every visible record, list positions across the whole order, names in every spelling.
  const rng = new Prng(`bench-load-${DATASET_VERSION}`)
  const { built, queries, createBodies } = await prepareInputs(rng)

  // The run works on a copy: the create scenario adds records, and the cache must stay as built.
  const runFile = path.join(DATA_DIR, `run-${process.pid}.sqlite`)
  copyFileSync(built.file, runFile)
  // Written to disk before any load: the kernel writing back 1.7 GB during a scenario stalls the servers' reads.
  const copy = openSync(runFile, 'r+')
  fsyncSync(copy)
  closeSync(copy)

  const db = new BetterSqlite3(runFile, { readonly: true })
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
  const appScript = path.join(__dirname, 'app-server.js')
  const baselineScript = path.join(__dirname, 'baseline-server.js')
  const app = await startServer('app', appScript, runFile, execArgv)
  const baseline = await startServer('baseline', baselineScript, runFile)
  log(`App on 127.0.0.1:${app.port} (pid ${app.process.pid}), baseline on 127.0.0.1:${baseline.port} (pid ${baseline.process.pid})`)

  const scenarios: Scenario[] = []
  const exports: { format: string; status: number; megabytes: number; seconds: number; lines: number; peakRssMb: number }[] = []
  let appMemory: Awaited<ReturnType<typeof memoryOf>> | undefined
  let baselineMemory: Awaited<ReturnType<typeof memoryOf>> | undefined
  try {
    // Check that both answer what the scenarios expect before timing anything.
    for (const server of [app, baseline]) {
      const one = await getJson(server.port, `/v1/prisoners/${ids[0]}`)
      const list = await getJson(server.port, `/v1/prisoners?limit=50&cursor=${cursors[0]}`)
      const found = await getJson(server.port, `/v1/prisoners?q=${encodeURIComponent(queries[0])}`)
      const ok = one.status === 200 && list.status === 200 && found.status === 200
      const hits = (found.body as { data?: unknown[] }).data?.length ?? 0
      if (!ok || hits === 0) throw new Error(`${server.name} does not answer as expected: ${JSON.stringify([one.status, list.status, found.status, hits])}`)
    }

    const search = () => ({ path: `/v1/prisoners?q=${encodeURIComponent(pick(queries))}` })
    const reads: { key: string; name: string; description: string; connections: number; rate?: number; next: () => { path: string } }[] = [
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
    ].filter((scenario) => selected(scenario.key))

    const run = (server: ServerChild, connections: number, next: () => { path: string }, durationSeconds = DURATION, overallRate?: number) =>
      measure(server, { connections, durationSeconds, next, overallRate })
    if (reads.length) {
      log('Warming up (not counted)')
      for (const server of [app, baseline]) for (const { next, rate } of reads) await run(server, CONNECTIONS, next, 2, rate)
    }
    for (const { name, description, connections, rate, next } of reads) {
      log(`- ${name}`)
      // Rounds alternate app and baseline, so that a disturbance of the machine hits both alike.
      const appRounds: Measured[] = []
      const baselineRounds: Measured[] = []
      for (let round = 0; round < ROUNDS; round++) {
        appRounds.push(await run(app, connections, next, DURATION, rate))
        baselineRounds.push(await run(baseline, connections, next, DURATION, rate))
      }
      scenarios.push({ name, description, app: combine(appRounds), baseline: combine(baselineRounds) })
    }

    if (selected('export')) {
      log('- Export')
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
      log(`- ${name}`)
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
    for (const suffix of ['', '-wal', '-shm']) rmSync(runFile + suffix, { force: true })
  }

  // Targets (DESIGN.md §6), for the scenarios that ran.
  const get = (name: string) => scenarios.find((s) => s.name === name)
  const ratio = (s: Scenario) => s.app.requestsPerSecond / s.baseline!.requestsPerSecond
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
  // The whole run's peak: the kernel's high-water mark, or the highest sample of any scenario.
  const appPeakMb = Math.max(appMemory!.vmHwmMb ?? 0, ...scenarios.map((s) => s.app.peakRssMb), ...exports.map((e) => e.peakRssMb))
  targets.push({ target: 'Memory ≤ 300 MB (app peak RSS, whole run)', measured: `${fixed(appPeakMb)} MB`, pass: appPeakMb <= 300 })

  const cpus = os.cpus()
  const machine = `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 1024 ** 3, 1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}`
  const rows = scenarios.map((s) => {
    const b = s.baseline
    return `| ${s.name} | ${fixed(s.app.requestsPerSecond)} | ${s.app.p50} | ${s.app.p99} | ${b ? fixed(b.requestsPerSecond) : '—'} | ${b ? b.p50 : '—'} | ${b ? b.p99 : '—'} | ${b ? `${ratio(s).toFixed(2)}×` : '—'} | ${fixed(s.app.peakRssMb)}${b ? ` / ${fixed(b.peakRssMb)}` : ''} | ${s.app.failures}${b ? ` / ${b.failures}` : ''} |`
  })
  const report = [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench\` (bench/run.ts) on ${startedAt.toISOString()}. Figures are from one run on one machine: compare ratios, not absolute numbers, across machines.`,
    '',
    `- Machine: ${machine}`,
    `- Data: ${fixed(RECORDS)} records (data set ${DATASET_VERSION}), ${fixed(built.stats.sources)} sources with archived text, ${fixed(built.stats.citations)} citations (two per value), built through \`PrisonersService.create\``,
    `- App: \`node ${execArgv.filter((flag) => !flag.startsWith('--cpu-prof')).map((flag) => `${flag} `).join('')}dist/bench/app-server.js\`: \`buildApp\` from src/app.ts on the benchmark database, an editor key for the creates`,
    `- Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, 127.0.0.1; read scenarios run ${ROUNDS} times on each server, alternating app and baseline (req/s and p50 are the mean, p99 the worst); the app and the baseline each in a child process of their own, the load generator in a third`,
    '',
    '## Targets (DESIGN.md §6)',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets.map((x) => `| ${x.target} | ${x.measured} | ${x.pass ? 'PASS' : 'MISS'} |`),
    '',
    '## Scenarios',
    '',
    'Requests/s count successful (2xx) answers only; latencies in ms; peak RSS in MB during the scenario; failures are non-2xx answers, errors and timeouts (app / baseline). Before each run the server is left to finish the previous run\'s requests.',
    '',
    '| scenario | app req/s | app p50 | app p99 | baseline req/s | baseline p50 | baseline p99 | app/baseline | peak RSS | failures |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...scenarios.map((s) => `- **${s.name}**: ${s.description}.`),
    '',
    '## Writes, export and memory',
    '',
    `- Build: ${fixed(built.stats.records)} records through \`PrisonersService.create\` (validation, evidence check, claims, citations, name keys, revision, read document; one transaction each) in ${fixed(built.stats.seconds)} s: **${fixed(built.stats.recordsPerSecond)} records/s** (${built.built ? 'this run' : `cached, built ${built.stats.builtAt}`}).`,
    ...scenarios
      .filter((s) => s.name.startsWith('Create'))
      .map((s) => `- ${s.name} over HTTP: **${fixed(s.app.requestsPerSecond)} records/s**, p50 ${s.app.p50} ms, p99 ${s.app.p99} ms, peak RSS ${fixed(s.app.peakRssMb)} MB, ${s.app.failures} failures.`),
    ...exports.map(
      (e) =>
        `- Export \`${e.format}\`: status ${e.status}, ${fixed(e.lines)} lines, ${fixed(e.megabytes, 1)} MB in ${e.seconds.toFixed(2)} s (${fixed(e.megabytes / e.seconds, 1)} MB/s), app peak RSS ${fixed(e.peakRssMb)} MB while streaming.`,
    ),
    `- App memory: peak RSS over the whole run **${fixed(appPeakMb)} MB** (kernel VmHWM ${appMemory!.vmHwmMb === null ? 'n/a' : `${fixed(appMemory!.vmHwmMb)} MB`}; per scenario above, sampled every 100 ms), RSS at the end ${fixed(appMemory!.rssMb)} MB, heap used ${fixed(appMemory!.heapUsedMb)} MB.`,
    `- Baseline memory: kernel VmHWM ${baselineMemory!.vmHwmMb === null ? 'n/a' : `${fixed(baselineMemory!.vmHwmMb)} MB`}.`,
    '',
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
