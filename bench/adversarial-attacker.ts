import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import { AttackInput, AttackTargets, attackInputs } from './adversarial-inputs'

/**
 * The attacker of the adversarial scenario, in a worker thread: its 80 MB of inputs are built and written to
 * the socket on an event loop of their own, so that the reader's latencies, measured on the main thread, are
 * the server's and not the attacker's.
 *
 * One volunteer key, one request at a time, the next sent as soon as the previous is answered, through every
 * input in turn: as fast as the server and the write limit let it. Refusals (429) do not slow it down.
 */
export interface AttackerData extends AttackTargets {
  port: number
  key: string
  /** The numbers (from 1, in the order of attackInputs) of the inputs to send; all when empty. */
  only: number[]
}

/** What the worker tells the scenario. */
export type AttackerMessage =
  | { type: 'ready'; inputs: { number: number; name: string; bytes: number }[] }
  | { type: 'result'; requests: AttackRequest[] }

/** One request: which input (its index among those sent), when it was sent and ended (ms since the epoch), and how it ended. */
export interface AttackRequest {
  input: number
  sentAt: number
  endedAt: number
  /** The HTTP status, or what happened instead: reset (connection closed or reset), refused, timeout, unfinished. */
  outcome: string
}

/** Longer than the server's request timeout (30 s by default): a request the server holds longer is its fault. */
const TIMEOUT_MS = 60_000

const data = workerData as AttackerData
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
let stopped = false
let inFlight: http.ClientRequest | null = null

function outcomeOf(error: NodeJS.ErrnoException): string {
  if (stopped) return 'unfinished'
  if (error.message === 'timeout') return 'timeout'
  if (error.code === 'ECONNREFUSED') return 'refused'
  return 'reset'
}

function send(input: AttackInput): Promise<string> {
  return new Promise((resolve) => {
    let settled = false
    const done = (outcome: string) => {
      if (settled) return
      settled = true
      inFlight = null
      resolve(outcome)
    }
    const request = http.request(
      {
        host: '127.0.0.1',
        port: data.port,
        method: input.method,
        path: input.path,
        agent,
        headers: { ...input.headers, authorization: `Bearer ${data.key}`, 'content-length': String(input.body.length) },
      },
      (response) => {
        response.resume()
        response.on('end', () => done(String(response.statusCode)))
        // Closed before the answer's end: the status came, the answer did not.
        response.on('close', () => done(response.complete ? String(response.statusCode) : 'reset'))
      },
    )
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error('timeout')))
    request.on('error', (error) => done(outcomeOf(error)))
    inFlight = request
    request.end(input.body)
  })
}

async function attack(inputs: AttackInput[]): Promise<AttackRequest[]> {
  const requests: AttackRequest[] = []
  for (let i = 0; !stopped; i = (i + 1) % inputs.length) {
    const sentAt = Date.now()
    const outcome = await send(inputs[i])
    requests.push({ input: i, sentAt, endedAt: Date.now(), outcome })
  }
  return requests
}

async function main() {
  const port = parentPort!
  const numbered = (await attackInputs(data)).map((input, i) => ({ ...input, number: i + 1 }))
  const inputs = data.only.length ? numbered.filter((input) => data.only.includes(input.number)) : numbered
  let finished: Promise<AttackRequest[]> | undefined
  port.on('message', (message: { type: 'start' | 'stop' }) => {
    if (message.type === 'start') finished = attack(inputs)
    if (message.type === 'stop') {
      stopped = true
      inFlight?.destroy(new Error('stopped'))
      void (finished ?? Promise.resolve([])).then((requests) => {
        agent.destroy()
        port.postMessage({ type: 'result', requests } satisfies AttackerMessage)
      })
    }
  })
  port.postMessage({ type: 'ready', inputs: inputs.map(({ number, name, body }) => ({ number, name, bytes: body.length })) } satisfies AttackerMessage)
}

void main()
