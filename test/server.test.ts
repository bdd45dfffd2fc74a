import { once } from 'node:events'
import { type Socket, connect } from 'node:net'
import t from 'tap'
import { KeysService } from '../src/core/access/api-keys'
import { Database } from '../src/db/database'
import { SEED } from './helpers/test-app'
import { buildServer, groupAlive, startServer, stopAll } from './helpers/server-process'
import { freshDatabase } from './helpers/test-database'

/** Waits for a process to exit, up to `ms`; its exit code, or 'still running'. */
async function exitWithin(child: import('node:child_process').ChildProcess, ms: number): Promise<number | string> {
  if (child.exitCode !== null) return child.exitCode
  const timer = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms).unref())
  const exit = once(child, 'exit').then(([code, signal]) => (code ?? String(signal)) as number | string)
  return Promise.race([exit, timer])
}

t.before(() => buildServer())
t.teardown(stopAll)

t.test('SIGTERM to `npm start` stops the server: npm exits, nothing it started keeps serving', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location, { via: 'npm start', logs: true })
  t.equal((await fetch(`${server.base}/v1/prisoners?limit=1`)).status, 200, 'serving through npm start')

  process.kill(server.process.pid!, 'SIGTERM') // to npm, as a process manager or a terminal sends it
  t.equal(await exitWithin(server.process, 15_000), 0, 'npm exits with 0 once the server has closed')
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.notOk(groupAlive(server.process), 'no process npm started is left (no orphaned node)')
  await t.rejects(fetch(`${server.base}/health`), 'the port no longer answers')
  t.match(server.output(), /"msg":"closing: finishing the requests in flight"/, 'the server logged that it was closing')
})

/** A client's own keep-alive connection, to see what the server does with it: its answers, and whether it closes it. */
class Connection {
  private readonly socket: Socket
  private received = Buffer.alloc(0)
  private waiting: (() => void)[] = []
  /** Resolves when the server (or the end of its process) closes the connection. */
  readonly closed: Promise<void>

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1')
    this.socket.on('error', () => undefined) // a reset is a close too
    this.socket.on('data', (chunk) => {
      this.received = Buffer.concat([this.received, chunk])
      for (const wake of this.waiting.splice(0)) wake()
    })
    this.closed = once(this.socket, 'close').then(() => {
      for (const wake of this.waiting.splice(0)) wake()
    })
  }

  async connected() {
    await once(this.socket, 'connect')
  }

  send(text: string) {
    this.socket.write(text)
  }

  /** The next whole answer (its Content-Length read), or what arrived when the connection closed. */
  async answer(): Promise<{ status: number; headers: Record<string, string>; body: string; whole: boolean }> {
    for (;;) {
      const headEnd = this.received.indexOf('\r\n\r\n')
      if (headEnd >= 0) {
        const [statusLine, ...lines] = this.received.subarray(0, headEnd).toString('latin1').split('\r\n')
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
        const length = Number(headers['content-length'] ?? 0)
        const body = this.received.subarray(headEnd + 4, headEnd + 4 + length)
        if (body.length === length || this.socket.destroyed) {
          this.received = this.received.subarray(headEnd + 4 + body.length)
          return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8'), whole: body.length === length }
        }
      } else if (this.socket.destroyed) {
        return { status: 0, headers: {}, body: '', whole: false }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
  }

  destroy() {
    this.socket.destroy()
  }
}

/** Resolves once the process has written `text` to its output. */
async function logged(server: { output: () => string }, text: string) {
  while (!server.output().includes(text)) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test('SIGTERM with a request in flight: its answer arrives whole, with Connection: close, and then the process exits with 0', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const database = await Database.open(fresh.location)
  const key = (await new KeysService(database).create('Edgar Editor', 'editor', 'test')).key
  await database.close()
  // A limit far beyond the test's pace: the process has no reason to exit but the end of its last request.
  const server = await startServer(fresh.location, { env: { SHUTDOWN_TIMEOUT_MS: '20000' }, logs: true })

  // A client (a proxy's keep-alive connection) that sends a write's headers and half its body, then waits.
  const body = JSON.stringify({ name: { value: 'Sent During Shutdown', citations: [{ sourceId: SEED.articleA, quote: 'Halina Krasnianskaya' }] } })
  const connection = new Connection(Number(new URL(server.base).port))
  t.teardown(() => connection.destroy())
  await connection.connected()
  connection.send(`POST /v1/prisoners HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`)
  connection.send(body.slice(0, 20))
  await logged(server, '"url":"/v1/prisoners"')

  server.process.kill('SIGTERM')
  await logged(server, 'closing: finishing the requests in flight')
  t.equal(server.process.exitCode, null, 'the stopping server waits for the request it has begun')
  connection.send(body.slice(20))
  const answer = await connection.answer()
  const runningWhenAnswered = server.process.exitCode === null && server.process.signalCode === null
  t.match(answer, { status: 201, whole: true }, 'the write is answered, its body whole')
  t.match(JSON.parse(answer.body), { name: { value: 'Sent During Shutdown' } })
  t.equal(answer.headers.connection, 'close', 'with Connection: close, so that the client sends nothing more on it')
  t.ok(runningWhenAnswered, 'the answer came before the process ended')
  await connection.closed
  t.pass('the server closed the connection')
  t.equal(await exitWithin(server.process, 30_000), 0, 'and the process exits with 0: nothing was cut')
  t.match(server.output(), /closed: every request in flight answered/)
  t.notMatch(server.output(), /still in flight/)
})

t.test('SIGTERM while idle, with a keep-alive connection open: the server closes it and exits with 0', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location, { env: { SHUTDOWN_TIMEOUT_MS: '20000' }, logs: true })
  const connection = new Connection(Number(new URL(server.base).port))
  t.teardown(() => connection.destroy())
  await connection.connected()
  connection.send('GET /v1/prisoners?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n')
  const answer = await connection.answer()
  t.match(answer, { status: 200, whole: true, headers: { connection: 'keep-alive' } }, 'an answered request; the connection stays open')

  server.process.kill('SIGTERM')
  await connection.closed
  t.pass('the server closed the idle connection')
  t.equal(await exitWithin(server.process, 30_000), 0, 'and exits with 0')
})

t.test('a request that never finishes holds a stopping server for SHUTDOWN_TIMEOUT_MS, and the exit (1) says it cut it', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location, { env: { SHUTDOWN_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '600000' }, logs: true })
  const port = Number(new URL(server.base).port)
  // A client that sends headers announcing a body, and then nothing; beside it one that is answered meanwhile.
  const stalled = new Connection(port)
  const answered = new Connection(port)
  t.teardown(() => {
    stalled.destroy()
    answered.destroy()
  })
  await Promise.all([stalled.connected(), answered.connected()])
  stalled.send('POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{')
  answered.send('GET /v1/prisoners?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n')
  await answered.answer()
  await logged(server, '"url":"/v1/sources"')

  server.process.kill('SIGTERM')
  t.equal(await exitWithin(server.process, 30_000), 1, 'the process exits, with 1: it could not finish everything')
  t.match(server.output(), /"requestsCut":1,.*"msg":"1 request still in flight after 1500 ms \(SHUTDOWN_TIMEOUT_MS\): exiting without it"/, 'and says how many it cut')
})

t.test('an idle server stops at once on SIGINT, with 0', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location)
  server.process.kill('SIGINT')
  t.equal(await exitWithin(server.process, 10_000), 0)
})
