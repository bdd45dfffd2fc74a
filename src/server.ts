import { buildApp } from './app'
import { seedIfEmpty } from './seed/seed'
import { loadConfig } from './config'
import { Database } from './db/database'
import { rebuildStaleNameKeys } from './core/search/name-keys-rebuild'

/**
 * Starts the API: migrate, seed an empty database, listen, and close on SIGINT/SIGTERM within SHUTDOWN_TIMEOUT_MS.
 * `npm start` runs this file with exec (package.json), so the signals npm forwards reach this process.
 */
async function main() {
  const config = loadConfig()
  const database = await Database.open(config.database)
  // Keys built by older (or newer) name rules are rebuilt before anything is served or seeded; by one instance
  // at a time, so that two started together on one PostgreSQL do not both seed it.
  const rebuilt = await database.exclusively(async () => {
    const report = await rebuildStaleNameKeys(database)
    if (config.seedOnStart) await seedIfEmpty(database)
    return report
  })
  const { bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, logLevel } = config
  const app = await buildApp({ database, bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, logger: { level: logLevel } })
  if (rebuilt) app.log.info(rebuilt, `name keys rebuilt: ${rebuilt.keys} keys of ${rebuilt.prisoners} records (rules version ${rebuilt.from} → ${rebuilt.to})`)

  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return
      closing = true
      app.log.info({ signal, shutdownTimeoutMs: config.shutdownTimeoutMs }, 'closing: finishing the requests in flight')
      // A request that never ends (a client that stopped sending) must not keep a stopped instance alive: a
      // deploy or an orchestrator waits for the process to go.
      setTimeout(() => {
        // Idle connections are closed by then and answered ones close themselves (shutdown.plugin.ts), so every
        // connection still open holds a request that was not answered: the ones this exit cuts.
        app.server.getConnections((_error, open) => {
          const ms = config.shutdownTimeoutMs
          if (open > 0) app.log.error({ requestsCut: open }, `${open} ${open === 1 ? 'request' : 'requests'} still in flight after ${ms} ms (SHUTDOWN_TIMEOUT_MS): exiting without ${open === 1 ? 'it' : 'them'}`)
          else app.log.error(`closing did not finish within ${ms} ms (SHUTDOWN_TIMEOUT_MS), though every request was answered: exiting`)
          process.exit(1)
        })
      }, config.shutdownTimeoutMs).unref()
      app.close().then(
        () => {
          app.log.info('closed: every request in flight answered')
          process.exit(0)
        },
        (error) => {
          app.log.error(error, 'error while closing')
          process.exit(1)
        },
      )
    })
  }

  await app.listen({ host: config.host, port: config.port })
  app.log.info(`Swagger UI at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/docs`)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
