import fp from 'fastify-plugin'
import { etagMatches, strongEtag } from '../shared/etag'

/**
 * Public reads are cacheable (DESIGN.md §7: a CDN absorbs spikes): every successful GET carries a
 * strong ETag, and a client that sends it back in If-None-Match gets 304 without the body.
 * Routes that know their ETag already (records) set it; for others it is the hash of the body.
 * What is read with an API key may hold what the public must not see (deleted or pending records, their
 * history, proposals), so it is never stored by a shared cache; and public answers vary by key.
 */
export default fp(
  async (app) => {
    // A callback hook, not an async one: it runs on every read, the hot path of the API.
    app.addHook('onSend', (request, reply, payload, done) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200 || typeof payload !== 'string') {
        return done(null, payload)
      }
      let etag = reply.getHeader('etag') as string | undefined
      if (!etag) {
        etag = strongEtag(payload)
        reply.header('etag', etag)
      }
      if (!reply.hasHeader('cache-control')) {
        reply.header('cache-control', request.headers.authorization === undefined ? 'public, max-age=60, must-revalidate' : 'private, no-cache')
      }
      const vary = reply.getHeader('vary')
      reply.header('vary', vary ? `${String(vary)}, Authorization` : 'Authorization')
      if (etagMatches(request.headers['if-none-match'], etag)) {
        reply.code(304)
        return done(null, '')
      }
      done(null, payload)
    })
  },
  { name: 'http-caching' },
)
