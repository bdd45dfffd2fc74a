import pino from 'pino'
import type { FastifyServerOptions } from 'fastify'

/**
 * The log of `npm start`: pino's JSON lines on stdout, written asynchronously. With pino's default (synchronous)
 * destination every log line was a write(2) on the event loop, two a request (Fastify's "incoming request" and
 * "request completed"), and a stdout that is a pipe whose reader stalls (journald, a container runtime) stopped the
 * server from answering until the reader caught up. Here a line is handed to a thread of Node's pool to write; lines
 * logged while a write is under way are queued in memory and written together by the next one, so under load one
 * write(2) carries many lines. No minimum batch size: a line is written as soon as the previous write ends, so
 * the log, and whoever tails it, sees each line at once.
 *
 * What that costs (docs/deploy.md, "Logs"): the lines queued or being written when the process dies without
 * running its exit handlers (SIGKILL, the kernel's OOM killer, V8 aborting on an exhausted heap) are lost: the
 * lines of the last moment. On a normal exit, SIGTERM/SIGINT (server.ts exits once closed) and an uncaught
 * exception or rejection (Node exits with 1), pino writes what is queued synchronously in the process's `exit` event.
 */
/**
 * The most a stalled stdout may queue. Beyond it new lines are dropped rather than queued: the heap is capped at
 * 128 MB (`npm start`), and a log that grew without bound would end the process, losing every line and request.
 */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024

export function requestLogger(level: string): NonNullable<FastifyServerOptions['logger']> {
  return { level, stream: pino.destination({ dest: 1, sync: false, maxLength: MAX_QUEUED_BYTES }) }
}
