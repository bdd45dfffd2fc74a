import { ChildProcess, fork } from 'node:child_process'
import http from 'node:http'
import autocannon from 'autocannon'
import { ServerMessage } from './protocol'

/** A server under test, running in its own child process. */
export interface ServerChild {
  name: string
  process: ChildProcess
  port: number
  key?: string
  volunteerKey?: string
  writesPerMinute?: number
}

/** `args`: more arguments for the script; `pipeStderr`: the child's stderr as a stream (process.stderr) rather than this one's. */
export function startServer(
  name: string,
  script: string,
  databaseFile: string,
  execArgv: string[] = [],
  { args = [], pipeStderr = false, quiet = false }: { args?: string[]; pipeStderr?: boolean; quiet?: boolean } = {},
): Promise<ServerChild> {
  // quiet: the child's stdout (a request log) goes nowhere, as a deployment's goes to its log collector.
  const child = fork(script, [databaseFile, ...args], { execArgv, stdio: ['ignore', quiet ? 'ignore' : 'inherit', pipeStderr ? 'pipe' : 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${name} server exited with code ${code} before it was ready`)))
    child.once('message', (message: ServerMessage) => {
      if (message.type === 'ready') resolve({ name, process: child, port: message.port, key: message.key, volunteerKey: message.volunteerKey, writesPerMinute: message.writesPerMinute })
    })
  })
}

/** The server's memory: peak RSS since the start, or since the last reset (`reset` starts a new peak). */
export function memoryOf(server: ServerChild, reset = false): Promise<Extract<ServerMessage, { type: 'memory' }>> {
  return new Promise((resolve) => {
    const listener = (message: ServerMessage) => {
      if (message.type !== 'memory') return
      server.process.off('message', listener)
      resolve(message)
    }
    server.process.on('message', listener)
    server.process.send({ type: reset ? 'memory-reset' : 'memory' })
  })
}

export function stopServer(server: ServerChild): Promise<void> {
  return new Promise((resolve) => {
    // A process killed by a signal (an abort on running out of memory) has no exit code, only the signal.
    if (server.process.exitCode !== null || server.process.signalCode !== null) return resolve()
    const timer = setTimeout(() => server.process.kill('SIGKILL'), 15_000)
    server.process.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    server.process.kill('SIGTERM')
  })
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p99: number
  requests: number
  ok: number
  failures: number
  durationSeconds: number
}

export interface LoadOptions {
  port: number
  connections: number
  durationSeconds: number
  /** Requests per second over all connections (open loop); unlimited when absent. */
  overallRate?: number
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Called for every request: its path, and its body for POST. */
  next: () => { path: string; body?: string }
}

/** One bounded autocannon run against 127.0.0.1 only. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    // Requests are counted only while they run: no retries, no pipelining, a timeout that flags stalls.
    pipelining: 1,
    timeout: 30,
    requests: [
      {
        method: options.method ?? 'GET',
        headers: { ...(options.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...options.headers },
        setupRequest: (request) => {
          const { path, body } = options.next()
          return { ...request, path, ...(body === undefined ? {} : { body }) }
        },
      },
    ],
  })
  const ok = result['2xx']
  return {
    requestsPerSecond: ok / (result.duration || options.durationSeconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    ok,
    failures: result.non2xx + result.errors + result.timeouts,
    durationSeconds: result.duration,
  }
}

/**
 * Waits until the server answers a cheap request within 50 ms twice in a row (at most `maxSeconds`).
 * A server keeps working through the requests it had already received when a load run ends; without this,
 * a slow scenario's backlog would be counted against the next one. Returns the seconds waited.
 */
export async function waitIdle(port: number, maxSeconds = 300): Promise<number> {
  const started = Date.now()
  let fast = 0
  while (fast < 2 && Date.now() - started < maxSeconds * 1000) {
    const at = process.hrtime.bigint()
    await getJson(port, '/health')
    fast = Number(process.hrtime.bigint() - at) / 1e6 < 50 ? fast + 1 : 0
  }
  return (Date.now() - started) / 1000
}

/**
 * An open-loop GET load: one request every 1000/rate ms, whatever the answers, over a keep-alive agent of
 * at most `connections` sockets; latencies from the moment each request was due. (autocannon's own rate
 * limit releases each second's quota at once, so it measures bursts, not a steady rate.)
 */
export async function paced(options: {
  port: number
  rate: number
  connections: number
  durationSeconds: number
  next: () => { path: string }
  /** Ends the load early (no more requests sent; those in flight are awaited). */
  stop?: AbortSignal
}): Promise<LoadResult & { max: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections })
  const latencies: number[] = []
  let failures = 0
  let sent = 0
  const started = process.hrtime.bigint()
  const total = Math.round(options.rate * options.durationSeconds)
  const inFlight: Promise<void>[] = []
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Number(process.hrtime.bigint() - started) / 1e6
      // Send every request that is due by now (timers are late under load; the schedule is not).
      while (sent < total && (sent * 1000) / options.rate <= due) {
        const dueAt = started + BigInt(Math.round((sent * 1e9) / options.rate))
        sent++
        inFlight.push(
          new Promise<void>((done) => {
            const request = http.get({ host: '127.0.0.1', port: options.port, path: options.next().path, agent }, (res) => {
              res.resume()
              res.on('end', () => {
                if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - dueAt) / 1e6)
                else failures++
                done()
              })
            })
            request.setTimeout(30_000, () => request.destroy(new Error('timeout')))
            request.on('error', () => {
              failures++
              done()
            })
          }),
        )
      }
      if (sent >= total || options.stop?.aborted) return resolve()
      setTimeout(tick, 1)
    }
    tick()
  })
  await Promise.all(inFlight)
  agent.destroy()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  latencies.sort((a, b) => a - b)
  const at = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10 : 0)
  return {
    requestsPerSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.length ? Math.round(latencies[latencies.length - 1] * 10) / 10 : 0,
    requests: sent,
    ok: latencies.length,
    failures,
    durationSeconds: seconds,
  }
}

/** One GET, the whole body read and measured; for the export. */
export function download(port: number, path: string): Promise<{ status: number; bytes: number; seconds: number; lines: number }> {
  const started = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let bytes = 0
        let lines = 0
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, bytes, lines, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
        )
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

/** One GET, for checks before a scenario (is the answer what we think it is?). */
export function getJson(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: unknown = text
          try {
            body = JSON.parse(text)
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body })
        })
      })
      .on('error', reject)
  })
}
