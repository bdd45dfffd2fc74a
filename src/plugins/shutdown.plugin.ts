import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../errors'

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment close() starts: requests in flight finish, new ones are turned away. */
    readonly shuttingDown: boolean
  }
}

/**
 * A stopping instance finishes what it has begun and turns away what comes after, with a 503 a load balancer or
 * client retries on another instance (nothing of it was done), and `Connection: close` so that keep-alive
 * connections move on. Fastify's own answer in that case (return503OnClosing) is not problem+json; this one is,
 * and readiness (/health/ready) says the same to the load balancer.
 */
export default fp(
  async (app: FastifyInstance) => {
    let shuttingDown = false
    app.decorate('shuttingDown', { getter: () => shuttingDown })
    app.addHook('preClose', async () => {
      shuttingDown = true
    })
    // A callback hook, not an async one: it runs on every request, and needs no promise until shutdown.
    app.addHook('onRequest', (_request, _reply, done) => {
      if (!shuttingDown) return done()
      done(
        new ProblemError('shutting-down', 'This instance is shutting down and takes no new request; send it again, another instance will answer.', undefined, {
          'retry-after': '1',
          connection: 'close',
        }),
      )
    })
  },
  { name: 'shutdown' },
)
