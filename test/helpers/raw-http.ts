import type { FastifyInstance } from 'fastify'
import { connect, type AddressInfo } from 'node:net'

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
  /** Milliseconds from the first byte sent until the server closed the connection. */
  closedAfterMs: number
}

/** Listens on a free port of 127.0.0.1 (once), for requests supertest cannot send. */
export async function listening(app: FastifyInstance): Promise<number> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as AddressInfo).port
}

/**
 * Writes `request` as is on a new connection, then waits for the server to close it (or gives up after
 * `giveUpMs`), and parses the one response it wrote.
 */
export function rawRequest(port: number, request: string | Buffer, giveUpMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let started = 0
    const giveUp = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server did not close the connection within ${giveUpMs} ms; it sent ${JSON.stringify(Buffer.concat(chunks).toString())}`))
    }, giveUpMs)
    socket.on('connect', () => {
      started = Date.now()
      socket.write(request)
    })
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {}) // a reset after the response is a close too
    socket.on('close', () => {
      clearTimeout(giveUp)
      const text = Buffer.concat(chunks).toString('utf8')
      const [head, ...rest] = text.split('\r\n\r\n')
      const [statusLine, ...lines] = head.split('\r\n')
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      )
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), closedAfterMs: Date.now() - started })
    })
  })
}
