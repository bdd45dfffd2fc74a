import fp from 'fastify-plugin'
import { cacheControl } from '../core/access/access'
import { matchesWeakly, strongEtag } from '../shared/etag'

/**
 * Public reads are cacheable (docs/design.md §7: a CDN absorbs spikes): every successful GET carries a
 * strong ETag, and a client that sends it back in If-None-Match gets 304 without the body.
 * Routes that know their ETag already (records) set it; for others it is the hash of the body.
 * Whether a shared cache may keep an answer is the access rule's to say (core/access); answers vary by key.
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
        reply.header('cache-control', cacheControl(request.apiKey))
      }
      const vary = reply.getHeader('vary')
      reply.header('vary', vary ? `${String(vary)}, Authorization` : 'Authorization')
      // If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" is the same tag as "x".
      if (matchesWeakly(request.headers['if-none-match'], etag)) {
        reply.code(304)
        return done(null, '')
      }
      done(null, payload)
    })
  },
  { name: 'http-caching' },
)
