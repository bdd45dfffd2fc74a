import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import FindMyWay, { HTTPMethod } from 'find-my-way'
import { notImplemented, sendProblem } from './problem-details.plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** The methods some route has for this concrete path (with OPTIONS); none when no route has the path. */
    allowedMethods(path: string): string[]
  }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * The methods this server knows, whether a path has them or not: those of RFC 9110 §9 and PATCH (RFC 5789).
 * One of them on a path without it is 405 (RFC 9110 §15.5.6: "known by the origin server but not supported by
 * the target resource"); any other (QUERY, PROPFIND, FOO) is one the server does not recognise, 501 (§9.1,
 * §15.6.2: "does not recognize the request method and is not capable of supporting it for any resource").
 */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])

/** A CORS preflight, as @fastify/cors tells one (its strict mode): it answers those, with the CORS headers. */
function isPreflight(request: FastifyRequest): boolean {
  return request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
}

/**
 * What each path has, asked of the routes themselves (every route again, in a router like Fastify's own), so that
 * every path answers alike: OPTIONS that is no CORS preflight gets 204 with `Allow` (RFC 9110 §9.3.7), a known
 * method the path has not gets 405 with `Allow`, a method this server does not know gets 501 (`not-implemented`,
 * with `Allow` too), and a path no route has 404. Registered after the security headers (its early answers carry
 * them) and before CORS (which answers the preflights).
 */
export default fp(
  async (app) => {
    // Not OPTIONS: @fastify/cors answers it on every path, which would make every path known.
    const routes = FindMyWay()
    const implemented = new Set(['OPTIONS'])
    app.addHook('onRoute', (route) => {
      // A plugin's '/' route answers its prefix with and without the slash; onRoute is told only the one without.
      const urls = route.routePath === '' && route.prefix !== '' ? [route.url, `${route.url}/`] : [route.url]
      for (const method of ([] as string[]).concat(route.method)) {
        implemented.add(method)
        for (const url of urls) {
          if (method !== 'OPTIONS' && !routes.hasRoute(method as HTTPMethod, url)) routes.on(method as HTTPMethod, url, () => undefined)
        }
      }
    })

    function allowedMethods(path: string): string[] {
      const methods = METHODS.filter((method) => routes.find(method as HTTPMethod, path) !== null)
      return methods.length ? [...methods, 'OPTIONS'] : []
    }
    app.decorate('allowedMethods', allowedMethods)

    // A callback hook, not an async one: every request passes it, and all but these go straight through.
    app.addHook('onRequest', (request, reply, done) => {
      const { method } = request
      if (method === 'OPTIONS' ? isPreflight(request) : KNOWN_METHODS.has(method)) return done()
      const path = request.url.split('?')[0]
      // OPTIONS * asks about the server itself (RFC 9110 §9.3.7): the methods it has on some path.
      const allowed = method === 'OPTIONS' && path === '*' ? [...implemented] : allowedMethods(path)
      if (allowed.length > 0) reply.header('allow', allowed.join(', '))
      if (method === 'OPTIONS') {
        if (allowed.length > 0) return reply.code(204).send()
        return sendProblem(request, reply, 'not-found', `Nothing at ${path}.`)
      }
      // Not a method this server knows (KNOWN_METHODS): 501. QUERY would otherwise reach Fastify, which refuses
      // it as 400 for its missing Content-Type before asking whether any route has it.
      return sendProblem(request, reply, 'not-implemented', notImplemented(method, path, allowed))
    })

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]
      const allowed = allowedMethods(path)
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        reply.header('allow', allowed.join(', '))
        return sendProblem(request, reply, 'method-not-allowed', `${request.method} is not a method of ${path}: it has ${allowed.join(', ')}.`)
      }
      return sendProblem(request, reply, 'not-found', `Nothing at ${request.method} ${path}.`)
    })
  },
  { name: 'allowed-methods', dependencies: ['problem-details'] },
)
