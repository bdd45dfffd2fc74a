import 'reflect-metadata'
import cors from '@fastify/cors'
import Fastify, { FastifyInstance, FastifyServerOptions } from 'fastify'
import { useActorSecret } from './core/access/actors'
import { Database } from './db/database'
import exportRoutes from './modules/export/export.routes'
import auditRoutes from './modules/audit/audit.routes'
import citationsRoutes from './modules/citations/citations.routes'
import claimsRoutes from './modules/claims/claims.routes'
import changesRoutes from './modules/changes/changes.routes'
import healthRoutes from './modules/health/health.routes'
import prisonersRoutes from './modules/prisoners/prisoners.routes'
import eventsRoutes from './modules/events/events.routes'
import problemsRoutes from './modules/problems/problems.routes'
import sourcesRoutes from './modules/sources/sources.routes'
import keysRoutes from './modules/keys/keys.routes'
import reviewRoutes from './modules/review/review.routes'
import submissionsRoutes from './modules/submissions/submissions.routes'
import webhooksRoutes from './modules/webhooks/webhooks.routes'
import embedRoutes from './modules/embed/embed.routes'
import historyRoutes from './modules/history/history.routes'
import { HistoryKey, temporaryHistoryKey } from './core/history/signing-key'
import { checkpointEveryMinute } from './core/history/checkpoints'
import candidatesRoutes from './modules/candidates/candidates.routes'
import importsRoutes from './modules/imports/imports.routes'
import type { ImportLimits } from './modules/imports/imports.service'
import { DEFAULT_WEBHOOK_SETTINGS, WebhookSettings } from './modules/webhooks/webhook-dispatcher'
import authPlugin from './plugins/auth.plugin'
import dbPlugin from './plugins/db.plugin'
import httpCachingPlugin from './plugins/http-caching.plugin'
import jsonBodyPlugin from './plugins/json-body.plugin'
import allowedMethodsPlugin from './plugins/allowed-methods.plugin'
import problemDetailsPlugin, { sendClientError, sendFrameworkError } from './plugins/problem-details.plugin'
import securityHeadersPlugin from './plugins/security-headers.plugin'
import swaggerPlugin from './plugins/swagger.plugin'
import compressPlugin from './plugins/compress.plugin'
import formBodyPlugin from './plugins/form-body.plugin'
import requestBodyPlugin from './plugins/request-body.plugin'
import shutdownPlugin from './plugins/shutdown.plugin'
import lingeringClosePlugin from './plugins/lingering-close.plugin'
import requestIdPlugin, { REQUEST_ID_HEADER, requestIdOf } from './plugins/request-id.plugin'
import { RESPONSE_SCHEMAS } from './response-schemas'
import { dtoValidatorCompiler } from './shared/dto'
import { CaptureSettings, DEFAULT_CAPTURE_SETTINGS } from './core/capture/fetch-page'

/** The headers of an answer that pages of other origins may read (CORS). */
const EXPOSED_HEADERS = ['ETag', 'Link', 'Location', 'Retry-After', 'RateLimit-Policy', 'RateLimit', 'Repr-Digest', 'Review-Status', REQUEST_ID_HEADER]

export interface AppOptions {
  database: Database
  logger?: FastifyServerOptions['logger']
  /** Largest request body, in bytes (413 beyond). */
  bodyLimit?: number
  /** Abuse limits (429 beyond): writes per key per minute, failed authentications per address per 15 minutes. */
  writesPerMinute?: number
  authFailuresPer15Minutes?: number
  /** Time a client has to send a whole request, headers and body, in ms (408 and the connection closed beyond). */
  requestTimeoutMs?: number
  /** Proxies trusted to name the client's address (X-Forwarded-For); see Config.trustProxy. */
  trustProxy?: boolean | number | string[]
  /** Webhook delivery: allowed private addresses, timeouts, retries (Config.webhooks), how often to look for due ones. */
  webhooks?: Partial<WebhookSettings>
  /** Capturing sources from their address: allowed private addresses and limits (Config.capture). */
  capture?: Partial<CaptureSettings>
  /** The secret of the public's pseudonyms (Config.actorPseudonymSecret); unset, the one kept in the database. */
  actorPseudonymSecret?: string
  /** The key history checkpoints are signed with (Config.historySigningKey); unset, one made for this app alone (tests). */
  historyKey?: HistoryKey
  /** Sign a checkpoint every minute while the history chain grows (server.ts; tests make theirs on demand). */
  checkpointEveryMinute?: boolean
  /** What one spreadsheet import may hold (Config.imports): bytes and rows. */
  imports?: ImportLimits
}

/** Builds the API on an open database. Never listens: server.ts does, and tests inject requests. */
export async function buildApp({
  database,
  logger = false,
  bodyLimit = 2 * 1024 * 1024,
  writesPerMinute = 120,
  authFailuresPer15Minutes = 20,
  requestTimeoutMs = 30_000,
  trustProxy = false,
  webhooks = {},
  capture = {},
  actorPseudonymSecret,
  historyKey = temporaryHistoryKey(),
  checkpointEveryMinute: checkpoints = false,
  imports,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit,
    // A number of hops, as proxy-addr counts them (Fastify's types take the function, not the number).
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // The proxy's X-Request-Id when it is a usable id, else a UUID: chosen by requestIdOf, not taken as sent.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Requests that arrive while closing are answered by shutdown.plugin.ts, as problem+json.
    return503OnClosing: false,
    // Request bodies are validated by their DTO classes (src/shared/dto.ts), not by Ajv.
    schemaErrorFormatter: (errors) => new Error(errors.map((e) => e.message).join('; ')),
    frameworkErrors: sendFrameworkError,
    // What Node's HTTP server refuses before routing (malformed requests, the timeout below) answers problem+json too.
    clientErrorHandler: sendClientError,
    // A request, headers and body, must arrive within requestTimeoutMs, so that slow senders cannot hold connections.
    // Node enforces it when it checks its connections, every 30 s by default: here at least every second.
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 10))) },
  })
  app.setValidatorCompiler(dtoValidatorCompiler)
  await app.register(requestIdPlugin)
  await app.register(problemDetailsPlugin)
  await app.register(shutdownPlugin)
  await app.register(lingeringClosePlugin)
  await app.register(securityHeadersPlugin)
  await app.register(requestBodyPlugin)
  await app.register(jsonBodyPlugin)
  await app.register(formBodyPlugin)
  await app.register(dbPlugin, { database })
  await app.register(allowedMethodsPlugin)
  if (actorPseudonymSecret !== undefined) useActorSecret(database, actorPseudonymSecret)
  // Advocacy sites read from their own pages; writes stay same-origin unless a key is sent deliberately.
  // Before auth, so that its refusals (401, 429) are readable by those pages too.
  // The exposed headers as one string: given as a list, @fastify/cors joined it again for every answer.
  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: EXPOSED_HEADERS.join(', ') })
  await app.register(authPlugin, { writesPerMinute, authFailuresPer15Minutes })
  await app.register(httpCachingPlugin)
  await app.register(compressPlugin)
  await app.register(swaggerPlugin, { responseSchemas: RESPONSE_SCHEMAS })

  await app.register(healthRoutes)
  await app.register(problemsRoutes)
  await app.register(sourcesRoutes, { capture: { ...DEFAULT_CAPTURE_SETTINGS, ...capture } })
  await app.register(prisonersRoutes)
  await app.register(eventsRoutes)
  await app.register(exportRoutes)
  await app.register(reviewRoutes)
  await app.register(submissionsRoutes)
  await app.register(changesRoutes)
  await app.register(claimsRoutes)
  await app.register(candidatesRoutes)
  await app.register(citationsRoutes)
  await app.register(auditRoutes)
  await app.register(keysRoutes)
  await app.register(embedRoutes)
  await app.register(importsRoutes, { limits: imports })
  await app.register(webhooksRoutes, { settings: { ...DEFAULT_WEBHOOK_SETTINGS, ...webhooks } })
  await app.register(historyRoutes, { key: historyKey })
  if (checkpoints) {
    const stop = checkpointEveryMinute(database, historyKey, (error) => app.log.warn({ err: error }, 'history checkpoint not signed'))
    app.addHook('onClose', async () => stop())
  }
  return app
}
