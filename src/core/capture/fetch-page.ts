import http from 'node:http'
import https from 'node:https'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { AddressPolicy, AddressRefused } from '../../shared/address-policy'
import { ProblemError } from '../../errors'

/**
 * Fetching a source's address for a capture, safely (docs/design.md §3.4). The registry fetches what a key
 * holder names, so it is a server-side request forgery waiting to happen unless every connection is checked:
 *
 * - http and https only, no user name or password in the address;
 * - every address a name resolves to is checked by the shared AddressPolicy (loopback, private, link-local,
 *   CGNAT, multicast, unspecified, metadata; IPv4-mapped IPv6 as the IPv4 it maps), before each request and
 *   again at connect time, by the Agent's `lookup`, so that a name re-pointed between the two (DNS rebinding)
 *   connects to nothing unchecked; redirects are followed by hand, each hop checked the same way;
 * - bounded: redirects, the whole fetch's time, the bytes read from the wire and once decompressed
 *   (invariant 10: no request can hurt another).
 *
 * Refusals are problems naming the request's `url` field (422 `address-refused`); a server that cannot be
 * reached or fails (5xx) is a 502 `upstream-failed`, one too slow a 504 `upstream-timeout`.
 */

export interface CaptureSettings {
  /** Addresses and CIDR ranges that may be fetched although not public (CAPTURE_ALLOW_PRIVATE). */
  allowPrivate: string[]
  /** Whether public addresses may be fetched (CAPTURE_ALLOW_PUBLIC); false: only those of allowPrivate. */
  allowPublic: boolean
  /** The whole fetch, redirects included, in ms. */
  timeoutMs: number
  /** Bytes read from the wire, over every hop. */
  maxBytes: number
  /** Bytes of the final body once decompressed (a small gzip bomb must not become gigabytes). */
  maxDecodedBytes: number
  maxRedirects: number
}

export const DEFAULT_CAPTURE_SETTINGS: CaptureSettings = {
  allowPrivate: [],
  allowPublic: true,
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxDecodedBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
}

/** One request and its answer, as the WARC keeps it. */
export interface Exchange {
  url: string
  requestHeaders: [string, string][]
  /** E.g. "1.1". */
  httpVersion: string
  status: number
  statusText: string
  /** In the order and case the server sent them. */
  responseHeaders: [string, string][]
  /** The body as it came over the wire (still compressed when the server compressed it). */
  body: Buffer
  /** The address connected to. */
  address: string | null
  /** When the answer's headers arrived (ISO 8601, ms). */
  at: string
}

export interface FetchedPage {
  requestedUrl: string
  /** Every hop, redirects first; the last is the page. */
  exchanges: Exchange[]
  finalUrl: string
  status: number
  /** The media type, lower case, without parameters. */
  mediaType: string
  /** The Content-Type header as sent (its charset is read from it). */
  contentType: string | null
  /** The final body, decompressed. */
  decoded: Buffer
}

/** What a capture keeps: a page or a plain text; anything else is answered plainly (422). */
const READABLE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain']
const REDIRECTS = new Set([301, 302, 303, 307, 308])

const REQUEST_HEADERS: [string, string][] = [
  ['User-Agent', 'political-prisoners-registry-capture/1 (archiving a cited source)'],
  ['Accept', 'text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1'],
  ['Accept-Encoding', 'gzip, deflate, br'],
]

const inBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `${bytes} bytes`)

/** Builds the problems of one fetch, each naming the request's field (`/url` in JSON, `url` in a form). */
class Problems {
  constructor(
    private readonly field: string,
    private readonly address: string,
  ) {}

  refused(why: string): ProblemError {
    return new ProblemError('address-refused', `${this.address} cannot be captured: it ${why}.`, [{ path: this.field, message: `url ${why}` }])
  }

  failed(why: string): ProblemError {
    return new ProblemError('upstream-failed', `${this.address} could not be captured: its server ${why}. Try again later, or paste the text.`, [
      { path: this.field, message: `url could not be fetched: its server ${why}` },
    ])
  }

  slow(timeoutMs: number): ProblemError {
    const why = `did not answer whole within ${timeoutMs / 1000} s`
    return new ProblemError('upstream-timeout', `${this.address} could not be captured: its server ${why}. Try again later, or paste the text.`, [
      { path: this.field, message: `url could not be fetched: its server ${why}` },
    ])
  }
}

/** Fetches `url` within `settings`; `field` is how the request names the address (for its problems). */
export async function fetchPage(url: string, settings: CaptureSettings, field: string): Promise<FetchedPage> {
  const problems = new Problems(field, url)
  const policy = new AddressPolicy(settings.allowPrivate, settings.allowPublic)
  // The Agent's lookup is where the address is checked at connect time; no keep-alive, so no socket is reused
  // from another request that was checked by another policy (a webhook's).
  const agents = {
    'http:': new http.Agent({ keepAlive: false, lookup: policy.lookup as never }),
    'https:': new https.Agent({ keepAlive: false, lookup: policy.lookup as never }),
  }
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), settings.timeoutMs)
  const exchanges: Exchange[] = []
  let budget = settings.maxBytes
  try {
    let target = parseAddress(url, problems)
    for (;;) {
      // The address refused is the one asked for, or one a redirect led to: the volunteer is told which.
      const subject = exchanges.length === 0 ? '' : `redirects to ${target.href}, which `
      await checkHost(target, policy, problems, subject)
      const exchange = await request(target, agents[target.protocol as 'http:' | 'https:'], abort.signal, budget, problems, subject)
      budget -= exchange.body.length
      exchanges.push(exchange)
      const location = header(exchange.responseHeaders, 'location')
      if (REDIRECTS.has(exchange.status) && location !== null) {
        if (exchanges.length > settings.maxRedirects) throw problems.refused(`redirects more than ${settings.maxRedirects} times`)
        let next: URL
        try {
          next = new URL(location, target)
        } catch {
          throw problems.refused(`redirects to "${location.slice(0, 200)}", which is no address`)
        }
        target = parseAddress(next.href, problems, `redirects to ${next.href}, which`)
        continue
      }
      return await finish(url, exchanges, settings, problems)
    }
  } catch (error) {
    if (abort.signal.aborted && !(error instanceof ProblemError)) throw problems.slow(settings.timeoutMs)
    throw error
  } finally {
    clearTimeout(timer)
    agents['http:'].destroy()
    agents['https:'].destroy()
  }
}

function parseAddress(address: string, problems: Problems, subject = 'is an address that'): URL {
  let target: URL
  try {
    target = new URL(address)
  } catch {
    throw problems.refused('is not an address')
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw problems.refused(`${subject} is not http:// or https://`)
  if (target.username || target.password) throw problems.refused(`${subject} holds a user name or password`)
  return target
}

/** Before connecting, so that the refusal says why; the Agent's lookup checks again when it connects. */
async function checkHost(target: URL, policy: AddressPolicy, problems: Problems, subject: string): Promise<void> {
  try {
    await policy.resolve(target.hostname)
  } catch (error) {
    if (error instanceof AddressRefused) throw problems.refused(notPublic(subject, error))
    throw problems.failed(`name ${target.hostname} does not resolve`)
  }
}

/** "resolves to 127.0.0.1, a loopback … address", of the address asked for or of a redirect's. */
function notPublic(subject: string, error: AddressRefused): string {
  return `${subject}${error.message.replace(/^it /, '')}; only public addresses are captured`
}

function header(headers: [string, string][], name: string): string | null {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? null
}

function request(target: URL, agent: http.Agent, signal: AbortSignal, budget: number, problems: Problems, subject: string): Promise<Exchange> {
  const client = target.protocol === 'https:' ? https : http
  return new Promise<Exchange>((resolve, reject) => {
    const req = client.request(target, { method: 'GET', agent, signal, headers: Object.fromEntries(REQUEST_HEADERS) }, (response) => {
      const at = new Date().toISOString()
      const declared = Number(response.headers['content-length'])
      if (Number.isFinite(declared) && declared > budget) {
        req.destroy()
        return reject(problems.refused(`serves ${inBytes(declared)}, more than the ${inBytes(budget)} a capture may read`))
      }
      const chunks: Buffer[] = []
      let read = 0
      response.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > budget) {
          req.destroy()
          reject(problems.refused(`serves more than the ${inBytes(budget)} a capture may read`))
          return
        }
        chunks.push(chunk)
      })
      response.on('error', (error) => reject(error))
      response.on('end', () => {
        const raw = response.rawHeaders
        const responseHeaders: [string, string][] = []
        for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.push([raw[i], raw[i + 1]])
        resolve({
          url: target.href,
          requestHeaders: [['Host', target.host], ...REQUEST_HEADERS],
          httpVersion: response.httpVersion,
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          responseHeaders,
          body: Buffer.concat(chunks),
          address: response.socket?.remoteAddress ?? null,
          at,
        })
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(error)
      // Refused at connect time: the name resolved to a public address a moment ago, and now to another (DNS rebinding).
      if (error instanceof AddressRefused) return reject(problems.refused(notPublic(subject, error)))
      reject(problems.failed(`could not be reached (${error.code ?? error.message.slice(0, 100)})`))
    })
    req.end()
  })
}

const gunzip = promisify(zlib.gunzip)
const inflate = promisify(zlib.inflate)
const inflateRaw = promisify(zlib.inflateRaw)
const brotli = promisify(zlib.brotliDecompress)

/** The final hop: a page that is there, of a type a capture keeps, decompressed within bounds. */
async function finish(requestedUrl: string, exchanges: Exchange[], settings: CaptureSettings, problems: Problems): Promise<FetchedPage> {
  const page = exchanges[exchanges.length - 1]
  if (page.status >= 500) throw problems.failed(`answered ${page.status} ${page.statusText}`.trim())
  if (page.status < 200 || page.status >= 300) throw problems.refused(`answered ${page.status} ${page.statusText}: there is no page to capture`.replace(' :', ':'))
  const contentType = header(page.responseHeaders, 'content-type')
  const decoded = await decompress(page.body, header(page.responseHeaders, 'content-encoding'), settings.maxDecodedBytes, problems)
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase() || sniff(decoded)
  if (!READABLE_TYPES.includes(mediaType)) {
    throw problems.refused(`serves ${mediaType || 'something unnamed'}, not a web page or a text; save the document's text and paste or upload it instead`)
  }
  return { requestedUrl, exchanges, finalUrl: page.url, status: page.status, mediaType, contentType, decoded }
}

/** A server that names no type: a page when it starts like one. */
function sniff(body: Buffer): string {
  const start = body.subarray(0, 512).toString('latin1').trimStart().toLowerCase()
  return start.startsWith('<!doctype html') || start.startsWith('<html') ? 'text/html' : ''
}

async function decompress(body: Buffer, encoding: string | null, maxOutputLength: number, problems: Problems): Promise<Buffer> {
  const codings = (encoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  let data = body
  try {
    // Applied in the order listed, so undone in reverse.
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') data = await gunzip(data, { maxOutputLength })
      else if (coding === 'br') data = await brotli(data, { maxOutputLength })
      else if (coding === 'deflate') {
        const deflated = data
        // Some servers send raw deflate without the zlib wrapper the standard asks for.
        data = await inflate(deflated, { maxOutputLength }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ERR_BUFFER_TOO_LARGE') throw error
          return inflateRaw(deflated, { maxOutputLength })
        })
      }
      else throw problems.refused(`is compressed as "${coding}", which a capture does not read`)
    }
  } catch (error) {
    if (error instanceof ProblemError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw problems.refused(`serves a page larger than ${inBytes(maxOutputLength)} once decompressed`)
    }
    throw problems.failed(`sent a body that does not decompress as ${encoding}`)
  }
  if (data.length > maxOutputLength) throw problems.refused(`serves a page larger than ${inBytes(maxOutputLength)}`)
  return data
}
