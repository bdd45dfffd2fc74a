import type { onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { hasRole } from '../core/access/access'
import { Role, article } from '../db/entities/api-key.entity'
import { ProblemError } from '../errors'
import { ApiKeyIdentity, KeysService } from '../core/access/api-keys'
import { RateLimiter } from '../core/access/rate-limits'
import { RATE_LIMIT_HEADERS } from '../shared/response-schemas'

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request authenticated with; null for anonymous reads. */
    apiKey: ApiKeyIdentity | null
  }
  interface FastifyInstance {
    keys: KeysService
    /** A route hook: 401 without a valid key, 403 below `role`, 429 over the write limit. */
    requireRole(role: Role): onRequestHookHandler
    /** True when the request's key has at least `role`. */
    hasRole(request: { apiKey: ApiKeyIdentity | null }, role: Role): boolean
  }
}

export interface AuthOptions {
  /** Writes one key may make per minute. */
  writesPerMinute: number
  /** Failed authentications one client address may make per 15 minutes before it must wait. */
  authFailuresPer15Minutes: number
}

export const BEARER_SECURITY = [{ bearerAuth: [] }]

/**
 * `Authorization: Bearer <key>` on any request: a valid key identifies the actor, an invalid one is
 * refused (401) even on public routes, so a misconfigured client finds out at once.
 */
export default fp<AuthOptions>(
  async (app, options) => {
    const keys = new KeysService(app.db)
    const failures = new RateLimiter(app.db, 'auth-failures', options.authFailuresPer15Minutes, 15 * 60_000)
    const writes = new RateLimiter(app.db, 'writes', options.writesPerMinute, 60_000)
    const tooMany = (limiter: RateLimiter, seconds: number, detail: string) =>
      new ProblemError('rate-limited', `${detail} Try again in ${seconds} s.`, undefined, {
        'retry-after': String(seconds),
        ...limiter.headers({ remaining: 0, resetSeconds: seconds }),
        connection: 'close',
      })
    // The hooks that count writes: the routes they guard (but GET) document the RateLimit headers they answer with.
    const countingHooks = new WeakSet<object>()

    app.decorate('keys', keys)
    app.decorateRequest('apiKey', null)

    /** The key's identity, or the 401 (or 429, for an address that failed too often) to answer. */
    async function authenticate(ip: string, token: string | undefined): Promise<ApiKeyIdentity> {
      const identity = token ? await keys.authenticate(token) : null
      if (identity) return identity
      // Only failures wait. Keys carry 256 random bits, so the limit is there to stop floods of bad keys, not to
      // make guessing slow; and it must not let anyone behind the same address (an office, a proxy) lock
      // out the editors who share it, so a valid key still works while its address waits.
      const wait = await failures.retryAfter(ip)
      if (wait) throw tooMany(failures, wait, 'Too many failed authentications from this address.')
      await failures.hit(ip)
      throw new ProblemError('unauthorized', 'The API key is not valid, or was revoked. Send Authorization: Bearer <key>.', undefined, {
        'www-authenticate': 'Bearer error="invalid_token"',
      })
    }

    // A callback hook, not an async one: anonymous reads, the hot path, pass straight through.
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization
      if (header === undefined) return done()
      authenticate(request.ip, /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]).then((identity) => {
        request.apiKey = identity
        done()
      }, done)
    })

    app.decorate('hasRole', (request: { apiKey: ApiKeyIdentity | null }, role: Role) => hasRole(request.apiKey, role))

    app.decorate('requireRole', (role: Role): onRequestHookHandler => {
      const hook: onRequestHookHandler = async (request, reply) => {
        if (!request.apiKey) {
          throw new ProblemError('unauthorized', 'This needs an API key: send Authorization: Bearer <key>.', undefined, {
            'www-authenticate': 'Bearer',
          })
        }
        if (!app.hasRole(request, role)) {
          throw new ProblemError('forbidden', `This needs the ${role} role; the key of ${request.apiKey.name} is ${article(request.apiKey.role)} ${request.apiKey.role} key.`)
        }
        // Reads (GET, and HEAD, which Fastify answers from the GET route) are not writes.
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          const quota = await writes.hit(request.apiKey.id)
          // Every answer to a counted write says what is left, so that a client slows down before its 429.
          reply.headers(writes.headers(quota))
          if (quota.retryAfter) throw tooMany(writes, quota.retryAfter, `This key made more than ${options.writesPerMinute} writes in a minute.`)
        }
      }
      countingHooks.add(hook)
      return hook
    })

    app.addHook('onRoute', (route) => {
      const counted = ([] as unknown[]).concat(route.onRequest ?? []).some((hook) => countingHooks.has(hook as object))
      const responses = (route.schema?.response ?? {}) as Record<string, Record<string, unknown>>
      if (!counted || route.method === 'GET' || route.method === 'HEAD') return
      const withHeaders = Object.entries(responses).map(([status, response]) =>
        status.startsWith('2') ? [status, { ...response, headers: { ...(response.headers as object), ...RATE_LIMIT_HEADERS } }] : [status, response],
      )
      route.schema = { ...route.schema, response: Object.fromEntries(withHeaders) }
    })
  },
  { name: 'auth', dependencies: ['db'] },
)
