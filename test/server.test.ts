import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
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

t.test('a request that never finishes holds a stopping server for SHUTDOWN_TIMEOUT_MS, no longer', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location, { env: { SHUTDOWN_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '600000' }, logs: true })
  // A client that sends headers announcing a body, and then nothing.
  const port = Number(new URL(server.base).port)
  const stalled = connect(port, '127.0.0.1')
  await once(stalled, 'connect')
  stalled.on('error', () => undefined)
  stalled.write('POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{')
  await new Promise((resolve) => setTimeout(resolve, 200))

  const signalled = Date.now()
  server.process.kill('SIGTERM')
  const code = await exitWithin(server.process, 10_000)
  const took = Date.now() - signalled
  stalled.destroy()
  t.equal(code, 1, 'the process exits, with 1: it could not finish everything')
  t.ok(took >= 1400 && took < 5000, `it waited for the request, then gave up after about 1.5 s (took ${took} ms)`)
  t.match(server.output(), /requests still in flight after 1500 ms \(SHUTDOWN_TIMEOUT_MS\)/, 'and said why')
})

t.test('an idle server stops at once on SIGINT, with 0', async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const server = await startServer(fresh.location)
  server.process.kill('SIGINT')
  t.equal(await exitWithin(server.process, 10_000), 0)
})
