import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Longest a connection is read after its answer, when the client was still sending (nginx: lingering_time). */
export const LINGER_MS = 5_000
/** A client that sends nothing for this long has stopped sending (nginx: lingering_timeout). */
export const LINGER_IDLE_MS = 1_000

/**
 * An answer sent before the request's body has all come (a 413 past the body limit, a 415, a refused key) closes its
 * connection: Fastify asks for it, since what the client still sends cannot be trusted as the next request. Node
 * closes the socket as soon as the answer is written. Bytes of the body then still arriving, or already waiting
 * unread in the server's buffer, make the server's system answer them with a TCP reset, and a reset makes the
 * client's system throw away what it received and had not yet read: the answer itself. A browser busy uploading a
 * large file, or a client under load, then sees "connection reset" where the registry had said, in words, which
 * part was too large and by how much.
 *
 * So the connection is closed the way nginx and Apache close one (a "lingering close"): the answer, then the end of
 * what the server sends, then the rest of the body read and thrown away until the client stops sending or closes,
 * for at most LINGER_MS; only then is the socket destroyed. Nothing read then is parsed as a request.
 * (docs/design.md §4)
 */
export function closeAfterReading(socket: Socket): void {
  if (socket.readableEnded || socket.destroyed) return void socket.destroy()
  const close = () => socket.destroy()
  const cap = setTimeout(close, LINGER_MS)
  socket.once('close', () => clearTimeout(cap))
  socket.once('end', close)
  socket.setTimeout(LINGER_IDLE_MS, close)
  socket.end()
  socket.resume()
}

export default fp(
  async (app: FastifyInstance) => {
    app.addHook('onSend', (request, _reply, payload, done) => {
      // Node ends a connection it will not keep with socket.destroySoon() once the answer is written (resOnFinish in
      // node:_http_server); on a connection whose request is still arriving, that end becomes a lingering close.
      if (!request.raw.complete) {
        const socket = request.raw.socket
        socket.destroySoon = () => closeAfterReading(socket)
      }
      done(null, payload)
    })
  },
  { name: 'lingering-close' },
)
