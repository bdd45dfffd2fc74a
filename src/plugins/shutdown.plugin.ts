import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../errors'

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment close() starts: requests in flight finish, new ones are turned away. */
    readonly shuttingDown: boolean
  }
}

/** How often a stopping instance closes the connections that went idle since the last time. */
const IDLE_SWEEP_MS = 100

/**
 * A stopping instance finishes what it has begun and turns away what comes after, with a 503 a load balancer or
 * client retries on another instance (nothing of it was done), and `Connection: close` so that keep-alive
 * connections move on. Fastify's own answer in that case (return503OnClosing) is not problem+json; this one is,
 * and readiness (/health/ready) says the same to the load balancer.
 *
 * Node's server.close() closes the connections idle at that moment and then waits for every other one to close.
 * An answer sent after it would keep its connection open (keep-alive) until the client or keepAliveTimeout ends
 * it, and the process would wait for that: so every answer sent while stopping carries `Connection: close`, which
 * also makes Node close the connection once it is written.
 */
export default fp(
  async (app: FastifyInstance) => {
    let shuttingDown = false
    let sweep: NodeJS.Timeout | undefined
    app.decorate('shuttingDown', { getter: () => shuttingDown })
    app.addHook('preClose', async () => {
      shuttingDown = true
      // An answer whose headers left before the close began (a long export) cannot take `Connection: close` any
      // more; its connection goes idle when it ends, and is closed then.
      if (app.server.listening) sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS).unref()
    })
    app.addHook('onClose', async () => clearInterval(sweep))
    // Callback hooks, not async ones: they run on every request, and need no promise until shutdown.
    app.addHook('onRequest', (_request, _reply, done) => {
      if (!shuttingDown) return done()
      done(
        new ProblemError('shutting-down', 'This instance is shutting down and takes no new request; send it again, another instance will answer.', undefined, {
          'retry-after': '1',
          connection: 'close',
        }),
      )
    })
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (shuttingDown) reply.header('connection', 'close')
      done(null, payload)
    })
  },
  { name: 'shutdown' },
)
