import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyInstance } from 'fastify'

/** A bodiless request whose query string holds raw UTF-8, as it was sent, with its query percent-encoded. */
interface RawUtf8Request {
  method: 'GET' | 'HEAD'
  url: string
  headers: Record<string, string>
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** RFC 9110 §5.1 and §5.5: a field name is a token; a value holds no control character but tab. */
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*$/

/**
 * The request Node's parser refused (HPE_INVALID_URL) only for raw UTF-8 bytes in its query string, as curl sends
 * `?q=Карней`; or undefined for anything else, which stays refused. The whole request must be in the packet the
 * parser stopped in, a GET or HEAD without a body (so nothing of it is left on the connection to misread), its
 * path printable ASCII (the path keeps its rules), its query printable ASCII and well-formed UTF-8.
 */
export function rawUtf8Request(error: ConnectionError): RawUtf8Request | undefined {
  const raw: unknown = error.rawPacket
  if (error.code !== 'HPE_INVALID_URL' || !Buffer.isBuffer(raw)) return undefined
  // Latin-1 keeps one character per byte: the text is the bytes as sent.
  const text = raw.toString('latin1')
  const start = text.lastIndexOf('\n', error.bytesParsed) + 1
  const end = text.indexOf('\r\n\r\n', start)
  if (end < 0) return undefined
  const [requestLine, ...headerLines] = text.slice(start, end).split('\r\n')
  const line = /^(GET|HEAD) (\/[!->@-~]*)\?([!-~\x80-\xff]*) HTTP\/1\.[01]$/.exec(requestLine)
  if (!line) return undefined
  const [, method, path, query] = line
  try {
    UTF8.decode(Buffer.from(query, 'latin1'))
  } catch {
    return undefined
  }
  const headers: Record<string, string> = {}
  for (const headerLine of headerLines) {
    const header = HEADER_LINE.exec(headerLine)
    if (!header) return undefined
    const name = header[1].toLowerCase()
    if (name in headers) return undefined
    headers[name] = header[2]
  }
  if ('content-length' in headers || 'transfer-encoding' in headers || 'upgrade' in headers) return undefined
  const encoded = query.replace(/[\x80-\xff]/g, (byte) => `%${byte.charCodeAt(0).toString(16).toUpperCase()}`)
  return { method: method as 'GET' | 'HEAD', url: `${path}?${encoded}`, headers }
}

/**
 * Answers such a request as its percent-encoded twin (what a browser sends for the same text), through every hook,
 * then closes the connection: Node's parser has stopped reading it. RFC 3986 §2.1 wants the bytes encoded, but
 * curl and scripts send them raw, and a search for a Cyrillic name is this API's ordinary read.
 */
export async function answerRawUtf8(app: FastifyInstance, request: RawUtf8Request, socket: Socket): Promise<void> {
  const response = await app.inject({ ...request, remoteAddress: socket.remoteAddress })
  const body = request.method === 'HEAD' ? Buffer.alloc(0) : response.rawPayload
  const headers = Object.entries(response.headers)
    .filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name))
    .flatMap(([name, value]) => ([] as unknown[]).concat(value).map((one) => `${name}: ${String(one)}\r\n`))
  const length = request.method === 'HEAD' || 'content-length' in response.headers ? '' : `content-length: ${body.length}\r\n`
  if (!socket.writable) return
  socket.write(`HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode]}\r\n${headers.join('')}${length}connection: close\r\n\r\n`)
  socket.end(body)
}
