import { WARCRecord, WARCSerializer } from 'warcio'
import type { Exchange, FetchedPage } from './fetch-page'

/**
 * A capture as a WARC file (ISO 28500, WARC/1.1), the format web archives keep pages in (the Wayback Machine,
 * Perma.cc, Webrecorder): a `warcinfo` record, then for each hop (redirects first) the `request` the registry sent
 * and the `response` it got, headers and body exactly as they came over the wire (a compressed body stays
 * compressed, with its Content-Encoding), with its time and the address connected to. Only a chunked body is kept
 * de-chunked (Node reads it so), and its Transfer-Encoding header renamed X-Archive-Orig-Transfer-Encoding, as
 * web archives do, so that a reader does not de-chunk it twice. warcio computes each
 * record's block and payload digests (SHA-256). A source's captures are served one after another as one file
 * (GET /v1/sources/{id}/capture.warc), as WARC allows.
 */

const VERSION = 'WARC/1.1'

async function serialize(record: WARCRecord): Promise<Buffer> {
  return Buffer.from(await WARCSerializer.serialize(record))
}

function requestRecord(exchange: Exchange): WARCRecord {
  const target = new URL(exchange.url)
  return WARCRecord.create({
    url: exchange.url,
    date: exchange.at,
    type: 'request',
    warcVersion: VERSION,
    keepHeadersCase: true,
    statusline: `GET ${target.pathname}${target.search} HTTP/1.1`,
    httpHeaders: exchange.requestHeaders,
  })
}

function responseRecord(exchange: Exchange): WARCRecord {
  return WARCRecord.create(
    {
      url: exchange.url,
      date: exchange.at,
      type: 'response',
      warcVersion: VERSION,
      keepHeadersCase: true,
      statusline: `HTTP/${exchange.httpVersion} ${exchange.status} ${exchange.statusText}`.trimEnd(),
      httpHeaders: exchange.responseHeaders.map(([name, value]) => (/^transfer-encoding$/i.test(name) ? [`X-Archive-Orig-${name}`, value] : [name, value])),
      warcHeaders: exchange.address ? { 'WARC-IP-Address': exchange.address } : {},
    },
    [exchange.body],
  )
}

export async function warcOf(page: FetchedPage, software: string): Promise<Buffer> {
  const parts: Buffer[] = [
    await serialize(
      WARCRecord.createWARCInfo(
        { warcVersion: VERSION, date: page.exchanges[0].at },
        { software, format: 'WARC File Format 1.1', conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/', 'requested-url': page.requestedUrl },
      ),
    ),
  ]
  for (const exchange of page.exchanges) {
    const response = responseRecord(exchange)
    const request = requestRecord(exchange)
    const responseId = response.warcHeaders.headers.get('WARC-Record-ID')
    if (responseId) request.warcHeaders.headers.set('WARC-Concurrent-To', responseId)
    parts.push(await serialize(request), await serialize(response))
  }
  return Buffer.concat(parts)
}
