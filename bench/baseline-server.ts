import { createServer } from 'node:http'
import Fastify, { FastifyReply, FastifyRequest } from 'fastify'
import { Answer, baselineReads } from './baseline-reads'
import { MemoryProbe, ServerMessage } from './protocol'

/**
 * A raw baseline (docs/design.md §6): the reads of baseline-reads.ts on the same database as the app (a SQLite file
 * or a PostgreSQL URL), carried by
 * - `node` (the default): a plain node:http server, the floor of what Node itself costs;
 * - `fastify`: one bare Fastify 5 route per read (no plugin, no hook, no schema, no logger), so that
 *   app/fastify says what the app adds to the framework and fastify/node what the framework costs.
 *
 * `baseline-server.js <database> [node|fastify]`. Reports its port to the benchmark, then its memory when asked.
 */
const [location, carrier = 'node'] = process.argv.slice(2)
const reads = baselineReads(location)
const headersOf = ({ body, etag }: Answer) => ({
  'content-type': 'application/json; charset=utf-8',
  'content-length': Buffer.byteLength(body),
  ...(etag ? { etag } : {}),
})

async function listen(): Promise<{ port: number; close: () => Promise<void> }> {
  if (carrier === 'fastify') {
    const app = Fastify({ logger: false })
    const route = async (request: FastifyRequest, reply: FastifyReply) => {
      const answer = await reads.answer(request.url)
      return reply.code(answer.status).headers(headersOf(answer)).send(answer.body)
    }
    app.get('/v1/prisoners', route)
    app.get('/v1/prisoners/:id', route)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    return { port: typeof address === 'object' && address ? address.port : 0, close: () => app.close() }
  }
  if (carrier !== 'node') throw new Error(`baseline-server: the carrier is node or fastify, not "${carrier}"`)
  const server = createServer((req, res) => {
    reads.answer(req.url ?? '/').then(
      (answer) => res.writeHead(answer.status, headersOf(answer)).end(answer.body),
      () => res.writeHead(500).end('{"status":500}'),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

listen().then(
  ({ port, close }) => {
    new MemoryProbe().listen()
    process.on('SIGTERM', () => void close().then(() => reads.close()).then(() => process.exit(0)))
    process.send!({ type: 'ready', port } satisfies ServerMessage)
  },
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
