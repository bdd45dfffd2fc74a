import { buildApp } from '../src/app'
import { Database } from '../src/db/database'
import { MemoryProbe, ServerMessage } from './protocol'

/**
 * The app under test, in a child process of its own (its memory and CPU apart from the load generator):
 * buildApp on the benchmark database, listening on 127.0.0.1 on a free port. Reports its port and an
 * editor key to the parent, then its memory whenever asked.
 */
async function main() {
  const file = process.argv[2]
  const database = await Database.open(file)
  // The write limit protects a public API from one key's flood; the create scenario is that flood on purpose.
  const app = await buildApp({ database, logger: false, writesPerMinute: 1_000_000_000 })
  await app.ready()
  const key = await app.keys.create('benchmark', 'editor', 'benchmark')
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  new MemoryProbe().listen()
  process.on('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
  process.send!({ type: 'ready', port, key: key.key } satisfies ServerMessage)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
