import { METHODS as httpMethods } from 'node:http'
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
 * The methods this server knows, whether a path has them or not: the registered methods of HTTP that Node's parser
 * reads (`http.METHODS`: RFC 9110 §9, PATCH, QUERY, WebDAV's PROPFIND…). One of them on a path without it is 405
 * (RFC 9110 §15.5.6: "known by the origin server but not supported by the target resource"), with the path's
 * `Allow`, so that a client trying QUERY learns which method to use instead. A token no registry has (FOO) is one
 * the server does not recognise, 501 (§15.6.2); Node's parser refuses those before routing (problem-details.plugin.ts).
 */
const KNOWN_METHODS = new Set(httpMethods)

const methodNotAllowed = (method: string, path: string, allowed: string[]) => `${method} is not a method of ${path}: it has ${allowed.join(', ')}.`

/** A CORS preflight, as @fastify/cors tells one (its strict mode): it answers those, with the CORS headers. */
function isPreflight(request: FastifyRequest): boolean {
  return request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined
}

/**
 * What each path has, asked of the routes themselves (every route again, in a router like Fastify's own), so that
 * every path answers alike: OPTIONS that is no CORS preflight gets 204 with `Allow` (RFC 9110 §9.3.7), a known
 * method the path has not (QUERY too) gets 405 with `Allow`, a method no registry has gets 501 (`not-implemented`,
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
      if (method === 'OPTIONS' ? isPreflight(request) : implemented.has(method)) return done()
      const path = request.url.split('?')[0]
      // OPTIONS * asks about the server itself (RFC 9110 §9.3.7): the methods it has on some path.
      const allowed = method === 'OPTIONS' && path === '*' ? [...implemented] : allowedMethods(path)
      if (allowed.length > 0) reply.header('allow', allowed.join(', '))
      if (method === 'OPTIONS') {
        if (allowed.length > 0) return reply.code(204).send()
        return sendProblem(request, reply, 'not-found', `Nothing at ${path}.`)
      }
      // A known method no route has (QUERY, PROPFIND): answered here, before Fastify would read a body for it.
      if (KNOWN_METHODS.has(method)) {
        if (allowed.length === 0) return sendProblem(request, reply, 'not-found', `Nothing at ${method} ${path}.`)
        return sendProblem(request, reply, 'method-not-allowed', methodNotAllowed(method, path, allowed))
      }
      // Not a method this server knows (KNOWN_METHODS): 501. Never reached while KNOWN_METHODS holds every method
      // Node's parser reads; kept so that a parser reading more cannot turn an unknown method into a 404.
      return sendProblem(request, reply, 'not-implemented', notImplemented(method, path, allowed))
    })

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]
      const allowed = allowedMethods(path)
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        reply.header('allow', allowed.join(', '))
        return sendProblem(request, reply, 'method-not-allowed', methodNotAllowed(request.method, path, allowed))
      }
      return sendProblem(request, reply, 'not-found', `Nothing at ${request.method} ${path}.`)
    })
  },
  { name: 'allowed-methods', dependencies: ['problem-details'] },
)
