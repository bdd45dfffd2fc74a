import { createHmac } from 'node:crypto'
import { once } from 'node:events'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'

/** One POST the receiver got, and what it answered (null: it held the request and never answered). */
export interface Received {
  id: string
  timestamp: string
  signature: string
  body: string
  payload: { type: string; timestamp: string; data: { seq: number; recordId?: string; eventId?: string; version: number; action: string } }
  answered: number | null
}

/** How the receiver answers a request: a status, or 'hold' to never answer (a receiver that hangs). */
export type Answer = number | 'hold'

/**
 * A webhook receiver on 127.0.0.1, as a site runs one: it records every request and answers as the test says.
 * Signatures are checked by the test with its own HMAC code (verify), not with the server's.
 */
export async function startReceiver(answer: (request: Received) => Answer = () => 200) {
  const received: Received[] = []
  const held: ServerResponse[] = []
  let respond = answer
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const entry: Received = {
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body,
        payload: JSON.parse(body) as Received['payload'],
        answered: null,
      }
      received.push(entry)
      const status = respond(entry)
      if (status === 'hold') return void held.push(response)
      entry.answered = status
      response.writeHead(status, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** The requests answered 2xx: what the site took in. */
    accepted: () => received.filter((entry) => entry.answered !== null && entry.answered >= 200 && entry.answered < 300),
    answerWith(next: (request: Received) => Answer) {
      respond = next
    },
    async close() {
      for (const response of held) response.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** The Standard Webhooks check, written here from the scheme: v1, base64 HMAC-SHA256 of "id.timestamp.body". */
export function verify(secret: string, { id, timestamp, body, signature }: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return signature.split(' ').some((part) => part === `v1,${expected}`)
}

/** Polls `condition` until it holds; fails with `what` after `ms` (a limit on waiting, not a timed assertion). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`waited ${ms} ms for ${what}`)
}

/** Whether each subject's versions came in increasing order. */
export function inOrderPerSubject(entries: Received[]): boolean {
  const last = new Map<string, number>()
  for (const { payload } of entries) {
    const subject = payload.data.recordId ?? payload.data.eventId ?? ''
    if ((last.get(subject) ?? 0) >= payload.data.version) return false
    last.set(subject, payload.data.version)
  }
  return true
}
