import pino from 'pino'
import type { FastifyServerOptions } from 'fastify'

/**
 * Lines are written once this many bytes are queued (about a dozen lines), or every FLUSH_MS: under load one
 * write(2) for many lines; when quiet, a line reaches the log within FLUSH_MS.
 */
const QUEUED_BYTES = 4096
const FLUSH_MS = 500

/**
 * The log of `npm start`: pino's JSON lines on stdout, written asynchronously. With pino's default (synchronous)
 * destination every log line was a write(2) on the event loop, two a request (Fastify's "incoming request" and
 * "request completed"): about a tenth of the CPU samples of a GET of one record (bench/profiles/get.txt, issue 28). Here
 * lines are queued in memory and written by libuv's thread pool, many at a time (and a process whose stdout is a
 * pipe that its reader stopped reading, journald or a container runtime busy, no longer stops answering requests).
 *
 * What that costs (docs/deploy.md, "Logs"): lines still queued when the process dies without running its exit
 * handlers (SIGKILL, the kernel's OOM killer, V8 aborting on an exhausted heap) are lost, at most the lines of
 * the last FLUSH_MS or QUEUED_BYTES. On a normal exit, SIGTERM/SIGINT (server.ts exits once closed) and an uncaught exception or
 * rejection (Node exits with 1), pino writes what is queued synchronously in the process's `exit` event.
 */
export function requestLogger(level: string): NonNullable<FastifyServerOptions['logger']> {
  return { level, stream: pino.destination({ dest: 1, sync: false, minLength: QUEUED_BYTES, periodicFlush: FLUSH_MS }) }
}
