import type { FastifyInstance } from 'fastify'

export interface RegisteredRoute {
  method: string
  /** As registered, with its parameters (`/v1/prisoners/:id`). */
  url: string
}

/**
 * The app's own routing table (every route registered, whoever added it), filtered by method. Tests that must
 * cover every route enumerate from here, so a route added later is covered without editing the test.
 */
export function registeredRoutes(app: FastifyInstance, methods: readonly string[]): RegisteredRoute[] {
  const routes: RegisteredRoute[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]*)\)/.exec(line)
    if (!match) continue
    const depth = match[1].length / 4
    stack.length = depth
    stack.push(match[2])
    const url = stack.join('')
    for (const method of match[3].split(', ')) {
      if (methods.includes(method)) routes.push({ method, url })
    }
  }
  return routes
}
