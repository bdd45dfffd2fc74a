import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { runOn } from './cores'
import { LoadResult, ServerChild, startServer, stopServer, waitIdle } from './load'
import { wrkLoad } from './wrk'
import type { ServerMessage } from './protocol'

/**
 * Where a read's time goes in the app as `npm start` runs it, and whether a change moved it (issue 28), on a
 * SQLite benchmark database (`node dist/bench/build-only.js` builds one; BENCH_RECORDS=2000 is enough):
 *
 * - `node dist/bench/read-ab.js profile <database> [seconds]`: one app (app-server.js `defaults`: production limits,
 *   the request log on, to nowhere) per scenario (GET one, first list page, name search), under wrk, with
 *   `--cpu-prof`; the profile and its summary (profile-summary.js) are written to bench/profiles/.
 * - `node dist/bench/read-ab.js ab <database> <before/app-server.js> <after/app-server.js> [rounds] [seconds]`: the
 *   two builds and the bare Fastify baseline, in alternating rounds (before, after, Fastify), each scenario under wrk.
 *   On a machine shared with other work the absolute figures move; alternation makes a disturbance hit all alike,
 *   and each run also gives the server's CPU time per answer (/proc/<pid>/stat), which the sharing moves much less.
 */

const VISIBLE = "review_status = 'published' AND deleted_at IS NULL"
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)

function scenarios(database: string) {
  const db = new BetterSqlite3(database, { readonly: true })
  const rows = db.prepare(`SELECT id, document FROM prisoners WHERE ${VISIBLE} LIMIT 2000`).all() as { id: string; document: string }[]
  db.close()
  const names = rows.flatMap(({ document }) => {
    const name = (JSON.parse(document) as { name: { value: string | null; alternatives: { value: string }[] } }).name
    return name.value === null ? [] : [name.value, ...name.alternatives.map((a) => a.value)]
  })
  return [
    { name: 'get', title: 'GET one', requests: rows.map(({ id }) => ({ path: `/v1/prisoners/${id}` })) },
    { name: 'list', title: 'List of 50, first page', requests: [{ path: '/v1/prisoners?limit=50' }] },
    { name: 'search', title: 'Name search', requests: names.map((q) => ({ path: `/v1/prisoners?q=${encodeURIComponent(q)}` })) },
  ]
}

/** The Node flags `npm start` gives the app (package.json config.nodeFlags). */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { config: { nodeFlags: string } }
  return pkg.config.nodeFlags.split(' ').filter(Boolean)
}

/** CPU time the process has used, every thread of it (user and system), in µs (Linux: /proc/<pid>/stat). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100
}

/**
 * One wrk run, and the server's CPU time per answer over it: on a machine shared with other work, requests/s say
 * how much CPU the server was given as much as how much it needs; CPU per answer says the second only.
 */
const run = async (server: ServerChild, requests: { path: string }[], seconds: number): Promise<LoadResult & { cpuUsPerAnswer: number }> => {
  await waitIdle(server.port)
  const before = cpuMicros(server.process.pid!)
  const result = await wrkLoad({ port: server.port, connections: CONNECTIONS, durationSeconds: seconds, requests })
  return { ...result, cpuUsPerAnswer: (cpuMicros(server.process.pid!) - before) / result.requests }
}

/** Sends `type` to the server and waits for its answer `answer`. */
function ask(server: ServerChild, message: { type: string; file?: string }, answer: ServerMessage['type']): Promise<void> {
  return new Promise((resolve) => {
    const listener = (reply: ServerMessage) => {
      if (reply.type !== answer) return
      server.process.off('message', listener)
      resolve()
    }
    server.process.on('message', listener)
    server.process.send(message)
  })
}

async function profile(database: string, seconds: number) {
  const out = path.join(__dirname, '..', '..', 'bench', 'profiles')
  mkdirSync(out, { recursive: true })
  for (const scenario of scenarios(database)) {
    const app = await startServer('app', path.join(__dirname, 'app-server.js'), database, startFlags(), { args: ['defaults'], quiet: true })
    runOn(app.process.pid!, 'servers')
    // Warmed up first, and profiled after: the steady state of requests, not the start-up.
    await run(app, scenario.requests, 3)
    await ask(app, { type: 'profile-start' }, 'profiling')
    const result = await run(app, scenario.requests, seconds)
    const file = path.join(out, `${scenario.name}.cpuprofile`)
    await ask(app, { type: 'profile-stop', file }, 'profiled')
    await stopServer(app)
    const summary = execFileSync('node', [path.join(__dirname, 'profile-summary.js'), file, '40'], { encoding: 'utf8' })
    const head = `${scenario.title}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99} ms under wrk -c${CONNECTIONS} (while profiled), ${result.ok} answers in ${seconds} s\n\n`
    writeFileSync(path.join(out, `${scenario.name}.txt`), head + summary)
    console.log(head + summary.split('\n').slice(0, 30).join('\n'))
  }
}

async function ab(database: string, before: string, after: string, rounds: number, seconds: number) {
  const flags = startFlags()
  const servers = [
    await startServer('before', before, database, flags, { args: ['defaults'], quiet: true }),
    await startServer('after', after, database, flags, { args: ['defaults'], quiet: true }),
    await startServer('Fastify', path.join(__dirname, 'baseline-server.js'), database, [], { args: ['fastify'] }),
  ]
  for (const server of servers) runOn(server.process.pid!, 'servers')
  const list = scenarios(database)
  try {
    for (const server of servers) for (const { requests } of list) await run(server, requests, 2)
    for (const scenario of list) {
      const figures: (LoadResult & { cpuUsPerAnswer: number })[][] = servers.map(() => [])
      for (let round = 0; round < rounds; round++) {
        for (const [i, server] of servers.entries()) figures[i].push(await run(server, scenario.requests, seconds))
      }
      const line = (r: LoadResult & { cpuUsPerAnswer: number }) => `${r.requestsPerSecond.toFixed(0)}/s p99 ${r.p99} ms, ${r.cpuUsPerAnswer.toFixed(0)} µs CPU/answer`
      console.log(`${scenario.title}`)
      for (let round = 0; round < rounds; round++) {
        const [b, a, f] = figures.map((rs) => rs[round])
        console.log(
          `  round ${round + 1}: before ${line(b)} (${(b.requestsPerSecond / f.requestsPerSecond).toFixed(2)}×), after ${line(a)} (${(a.requestsPerSecond / f.requestsPerSecond).toFixed(2)}×), Fastify ${line(f)}`,
        )
      }
    }
  } finally {
    for (const server of servers) await stopServer(server)
  }
}

const [mode, database, ...rest] = process.argv.slice(2)
const main =
  mode === 'profile'
    ? profile(database, Number(rest[0] ?? 10))
    : mode === 'ab'
      ? ab(database, path.resolve(rest[0]), path.resolve(rest[1]), Number(rest[2] ?? 3), Number(rest[3] ?? 5))
      : Promise.reject(new Error('read-ab.js profile <database> [seconds] | ab <database> <before app-server.js> <after app-server.js> [rounds] [seconds]'))
main.catch((error) => {
  console.error(error)
  process.exit(1)
})
