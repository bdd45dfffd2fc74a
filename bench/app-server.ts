import { buildApp } from '../src/app'
import { Config, loadConfig } from '../src/config'
import { Database } from '../src/db/database'
import { requestLogger } from '../src/logging'
import { MemoryProbe, ServerMessage, listenForProfiling } from './protocol'

/**
 * The app under test, in a child process of its own (its memory and CPU apart from the load generator):
 * buildApp on the benchmark database, listening on 127.0.0.1 on a free port. Reports its port and an
 * editor key to the parent, then its memory whenever asked.
 *
 * `app-server.js <database> production`: with the limits `npm start` applies (body size, writes per minute,
 * failed authentications, request timeout: src/config.ts, from the same environment), and a volunteer key too,
 * for the adversarial scenario. `app-server.js <database> defaults`: those limits and `npm start`'s request log
 * too (LOG_LEVEL, info by default: two lines per request, to stdout, written as server.ts writes them: src/logging.ts), as a deployment runs it (the wrk comparison).
 * Without either the write limit is lifted: the create scenario is a flood on purpose.
 */
const limitsOf = ({ bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs }: Config) => ({ bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs })

async function main() {
  const [file, mode] = process.argv.slice(2)
  const database = await Database.open(file)
  const production = mode === 'production' || mode === 'defaults'
  const limits = production ? loadConfig() : undefined
  const logger = mode === 'defaults' ? requestLogger(limits!.logLevel) : false
  // The write limit protects a public API from one key's flood; the create scenario is that flood on purpose.
  const app = await buildApp(limits ? { database, logger, ...limitsOf(limits) } : { database, logger, writesPerMinute: 1_000_000_000 })
  await app.ready()
  const key = await app.keys.create('benchmark', 'editor', 'benchmark')
  const volunteer = production ? await app.keys.create('benchmark adversary', 'volunteer', 'benchmark') : undefined
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  new MemoryProbe().listen()
  listenForProfiling()
  // The benchmark is gone (killed, or crashed): nothing is left to answer, and a server busy with a hostile input would linger.
  process.on('disconnect', () => process.exit(1))
  process.on('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
  process.send!({
    type: 'ready',
    port,
    key: key.key,
    ...(volunteer && limits ? { volunteerKey: volunteer.key, writesPerMinute: limits.writesPerMinute } : {}),
  } satisfies ServerMessage)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
