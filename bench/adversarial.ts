import { readFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AttackRequest, AttackerData, AttackerMessage } from './adversarial-attacker'
import { AttackTargets, archivedSourceBody } from './adversarial-inputs'
import { LoadResult, ServerChild, paced, startServer, stopServer } from './load'

/**
 * The adversarial scenario (issue 23, docs/design.md §2 invariant 10 and §6): one volunteer key sends inputs that
 * have hurt the server (bench/adversarial-inputs.ts), as fast as the write limit lets it and on after it is
 * refused, while a reader fetches one record every 50 ms. The app runs with the limits of `npm start`.
 * The figures: the reader's latencies, the attacker's answers, the server's peak memory, and whether it
 * lived; a server that dies ends the scenario, and the report says when and on what.
 */
export interface AdversarialResult {
  plannedSeconds: number
  /** From the start of the attack to the reader's last answer (or error). */
  readerSeconds: number
  writesPerMinute: number
  reader: LoadResult & { max: number }
  /** The numbers of the inputs BENCH_ADVERSARIAL_INPUTS chose; empty: all were sent. */
  only: number[]
  /** The inputs sent, with their numbers among all. */
  inputs: { number: number; name: string; bytes: number }[]
  requests: AttackRequest[]
  /** The server's peak resident memory (the kernel's VmHWM, sampled every 100 ms); null where /proc is not there. */
  peakRssMb: number | null
  /** At the end: running and answering GET /health, running but not answering it within 10 s, or gone. */
  state: 'alive' | 'not answering' | 'dead'
  death?: Death
}

export interface Death {
  afterSeconds: number
  /** The exit code or signal, and the first line of what the server wrote to stderr about it (Node's fatal error). */
  how: string
  /** Attacker requests sent up to the death, the one that killed it included. */
  afterRequests: number
  /** The input whose request was cut by the death; null when the server died between two requests. */
  inFlight: string | null
}

const READER_RATE = 20
const WARM_UP_SECONDS = 2
const MB = 1024 * 1024

/** The kernel's high-water mark of a process's resident memory, in MB; null when it cannot be read (gone, not Linux). */
function vmHwmMb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? (Number(match[1]) * 1024) / MB : null
  } catch {
    return null
  }
}

/** One request with a timeout, for the setup and the last look; never throws. */
function ask(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; etag?: string; text: string }> {
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag, text: Buffer.concat(chunks).toString('utf8') }))
    })
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')))
    request.on('error', (error) => resolve({ status: 0, text: error.message }))
    request.end(body)
  })
}

/** The source the random-word quotes cite and the record PATCH aims at, made by the editor key. */
async function prepareTargets(server: ServerChild, recordId: string): Promise<AttackTargets> {
  const source = await ask(server.port, 'POST', '/v1/sources', { authorization: `Bearer ${server.key}` }, archivedSourceBody())
  const record = await ask(server.port, 'GET', `/v1/prisoners/${recordId}`)
  if (source.status !== 201 || record.status !== 200 || !record.etag) {
    throw new Error(`adversarial scenario: the setup failed (POST /v1/sources ${source.status}: ${source.text.slice(0, 300)}; GET the record ${record.status})`)
  }
  return { sourceId: (JSON.parse(source.text) as { id: string }).id, recordId, etag: record.etag }
}

function startAttacker(data: AttackerData): Promise<{ worker: Worker; inputs: AdversarialResult['inputs'] }> {
  const worker = new Worker(path.join(__dirname, 'adversarial-attacker.js'), { workerData: data })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (message: AttackerMessage) => {
      if (message.type === 'ready') resolve({ worker, inputs: message.inputs })
    })
  })
}

/** The attacker's requests, once it has been told to stop (at the planned end, or when the server died). */
function attackerResult(worker: Worker): Promise<AttackRequest[]> {
  return new Promise((resolve) => {
    worker.on('message', (message: AttackerMessage) => {
      if (message.type === 'result') resolve(message.requests)
    })
  })
}

/**
 * When the server died, from the attacker's side: its requests go one after another, so the first one after the
 * last that got an answer (an HTTP status) is the one it died on, if that one got none either (its connection was
 * reset, or refused: the server was gone before it). The exit event comes later, when the process is reaped.
 */
function deathOf(requests: AttackRequest[], inputs: AdversarialResult['inputs'], exit: { at: number; how: string }, startedAt: number): Death {
  const answered = (r: AttackRequest) => /^\d+$/.test(r.outcome)
  const lastAnswer = requests.findLastIndex((r) => answered(r) && r.endedAt <= exit.at)
  const next = requests[lastAnswer + 1] as AttackRequest | undefined
  const cut = next && next.sentAt <= exit.at && next.outcome !== 'refused' && !answered(next) ? next : undefined
  return {
    afterSeconds: Math.max(0, (Math.min(exit.at, cut?.endedAt ?? exit.at) - startedAt) / 1000),
    how: exit.how,
    afterRequests: lastAnswer + 1 + (cut ? 1 : 0),
    inFlight: cut ? inputs[cut.input].name : null,
  }
}

/** Keeps the first line of the child's stderr that says why it stopped (Node's "FATAL ERROR: …"), passing all of it on. */
function watchStderr(server: ServerChild): () => string | undefined {
  let fatal: string | undefined
  server.process.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    fatal ??= /^(FATAL ERROR|[A-Za-z]*Error)\b.*$/m.exec(chunk.toString('utf8'))?.[0]
  })
  return () => fatal
}

export async function runAdversarial(options: {
  location: string
  execArgv: string[]
  ids: string[]
  pick: <T>(items: readonly T[]) => T
  durationSeconds: number
  /** Numbers of the inputs to send (BENCH_ADVERSARIAL_INPUTS); all when empty. */
  only: number[]
  log: (line: string) => void
}): Promise<AdversarialResult> {
  const { location, execArgv, ids, pick, durationSeconds, only, log } = options
  const server = await startServer('adversarial app', path.join(__dirname, 'app-server.js'), location, execArgv, { args: ['production'], pipeStderr: true })
  const fatalLine = watchStderr(server)
  // After the exit, once its stdio streams are closed: its last words on stderr are read by then.
  const closed = new Promise<void>((resolve) => server.process.once('close', () => resolve()))
  const pid = server.process.pid!
  let peakRssMb = vmHwmMb(pid)
  const sampler = setInterval(() => {
    const now = vmHwmMb(pid)
    if (now !== null) peakRssMb = Math.max(peakRssMb ?? 0, now)
  }, 100)

  const stop = new AbortController()
  let died: { at: number; how: string } | undefined
  let worker: Worker | undefined
  server.process.once('exit', (code, signal) => {
    died = { at: Date.now(), how: signal ? `killed by ${signal}` : `exit code ${code}` }
    stop.abort()
    worker?.postMessage({ type: 'stop' })
  })

  try {
    const targets = await prepareTargets(server, ids[0])
    const attacker = await startAttacker({ ...targets, port: server.port, key: server.volunteerKey!, only })
    worker = attacker.worker
    const missing = only.filter((number) => !attacker.inputs.some((input) => input.number === number))
    if (missing.length) throw new Error(`BENCH_ADVERSARIAL_INPUTS: no input numbered ${missing.join(', ')}; they are numbered from 1 in RESULTS.md`)
    log(`  attacker: ${attacker.inputs.length} inputs, ${(attacker.inputs.reduce((sum, input) => sum + input.bytes, 0) / MB).toFixed(1)} MB a cycle; writes limit ${server.writesPerMinute}/min`)
    const read = () => ({ path: `/v1/prisoners/${pick(ids)}` })
    await paced({ port: server.port, rate: READER_RATE, connections: 10, durationSeconds: WARM_UP_SECONDS, next: read, stop: stop.signal })

    const startedAt = Date.now()
    const attack = attackerResult(worker)
    worker.postMessage({ type: 'start' })
    // The attack ends on time; the reader then waits for the answers to the reads it has sent, however late.
    const attackEnd = setTimeout(() => worker!.postMessage({ type: 'stop' }), durationSeconds * 1000)
    const reader = await paced({ port: server.port, rate: READER_RATE, connections: 10, durationSeconds, next: read, stop: stop.signal })
    const readerSeconds = (Date.now() - startedAt) / 1000
    clearTimeout(attackEnd)
    worker.postMessage({ type: 'stop' })
    const requests = await attack
    await worker.terminate()

    const answered = !died && (await ask(server.port, 'GET', '/health')).status !== 0
    const state = died ? 'dead' : answered ? 'alive' : 'not answering'
    if (died) await closed
    const death = died && deathOf(requests, attacker.inputs, { at: died.at, how: [died.how, fatalLine()].filter(Boolean).join(': ') }, startedAt)
    return {
      plannedSeconds: durationSeconds,
      readerSeconds,
      writesPerMinute: server.writesPerMinute!,
      reader,
      only,
      inputs: attacker.inputs,
      requests,
      peakRssMb,
      state,
      ...(death ? { death } : {}),
    }
  } finally {
    clearInterval(sampler)
    await worker?.terminate()
    await stopServer(server)
  }
}
