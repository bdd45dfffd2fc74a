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
  const { bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, webhooks, logLevel } = config
  const app = await buildApp({ database, bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, webhooks, logger: { level: logLevel } })
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
        app.log.error(`requests still in flight after ${config.shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting without them`)
        process.exit(1)
      }, config.shutdownTimeoutMs).unref()
      app.close().then(
        () => process.exit(0),
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
