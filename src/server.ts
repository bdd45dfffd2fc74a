import { buildApp } from './app'
import { requestLogger } from './logging'
import { seedAtStart } from './seed/seed'
import { type Config, loadConfig } from './config'
import { Database } from './db/database'
import { storageReason, unreachable } from './db/storage-errors'
import { rebuildStaleNameKeys } from './core/search/name-keys-rebuild'
import { repairDroppedEventLinks } from './core/record/event-links-repair'
import { rebuildStaleDocuments } from './core/record/documents-rebuild'
import { rebuildStaleEventDocuments } from './core/record/event-documents'
import { chainUnchained } from './core/history/chain'
import { loadHistoryKey } from './core/history/signing-key'

/**
 * Opens (and migrates) the database, waiting up to DATABASE_START_WAIT_MS for one that does not answer yet, with a
 * line on stderr for each attempt (the app's logger does not exist yet); then gives up with a plain message.
 */
async function openDatabase({ database, databaseTimeouts, databaseStartWaitMs }: Config): Promise<Database> {
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`
  try {
    return await Database.openPatiently(database, databaseTimeouts, {
      waitMs: databaseStartWaitMs,
      onRetry: ({ attempt, reason, retryInMs }) =>
        console.error(`waiting for the database: attempt ${attempt} failed (${reason}); trying again in ${seconds(retryInMs)}, for up to ${seconds(databaseStartWaitMs)} in all (DATABASE_START_WAIT_MS)`),
    })
  } catch (error) {
    if (!unreachable(error)) throw error
    throw new Error(`the database could not be reached within ${seconds(databaseStartWaitMs)} (DATABASE_START_WAIT_MS): ${storageReason(error)}`, { cause: error })
  }
}

/**
 * Starts the API: migrate, seed (an empty database, or top up a seeded one), listen, and close on SIGINT/SIGTERM within SHUTDOWN_TIMEOUT_MS.
 * `npm start` runs this file with exec (package.json), so the signals npm forwards reach this process.
 */
async function main() {
  const config = loadConfig()
  const database = await openDatabase(config)
  // Keys built by older (or newer) name rules are rebuilt before anything is served or seeded; by one instance
  // at a time, so that two started together on one PostgreSQL do not both seed it.
  const rebuilt = await database.exclusively(async () => {
    const report = await rebuildStaleNameKeys(database)
    await repairDroppedEventLinks(database)
    // Documents stored in an older shape are rebuilt from their claims before they are served (docs/design.md §2, invariant 9).
    const documents = await rebuildStaleDocuments(database)
    const eventDocuments = await rebuildStaleEventDocuments(database)
    if (config.seedOnStart) await seedAtStart(database)
    // Revisions written before the history chain existed are chained, oldest first (docs/design.md §10).
    const chained = await chainUnchained(database)
    return { nameKeys: report, documents, eventDocuments, chained }
  })
  const { bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, webhooks, capture, actorPseudonymSecret, logLevel, imports } = config
  // Read (or made, and printed, on the first start) before serving: every checkpoint is signed with it.
  const historyKey = loadHistoryKey(config.historySigningKey, config.historySigningKeyFile, (message) => console.log(message))
  const app = await buildApp({
    database,
    historyKey,
    checkpointEveryMinute: true,
    bodyLimit,
    writesPerMinute,
    authFailuresPer15Minutes,
    requestTimeoutMs,
    trustProxy,
    webhooks,
    capture,
    actorPseudonymSecret,
    imports,
    logger: requestLogger(logLevel),
  })
  const { nameKeys: keys, documents, eventDocuments, chained } = rebuilt
  if (eventDocuments) app.log.info(eventDocuments, `stored event documents rebuilt: ${eventDocuments.events} events (shape ${eventDocuments.from} → ${eventDocuments.to})`)
  if (chained) app.log.info({ chained }, `history chain: ${chained} revisions written before it chained, oldest first`)
  if (keys) app.log.info(keys, `name keys rebuilt: ${keys.keys} keys of ${keys.prisoners} records (rules version ${keys.from} → ${keys.to})`)
  if (documents) {
    app.log.info(documents, `stored documents rebuilt: ${documents.changed} of ${documents.prisoners} records changed (shape ${documents.from} → ${documents.to})`)
    for (const { id, detail } of documents.refused) app.log.error({ prisonerId: id }, `record ${id} left as it was: its claims make no document the contract accepts (${detail})`)
  }

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
