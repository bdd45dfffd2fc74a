import { createHash } from 'node:crypto'
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { brotliDecompressSync, createGunzip, gunzipSync, gzipSync } from 'node:zlib'
import Fastify from 'fastify'
import t from 'tap'
import compressPlugin from '../../src/plugins/compress.plugin'
import { buildTestApp, SEED } from '../helpers/test-app'

const decode = (encoding: string | undefined, body: Buffer) =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body

t.test('reads of 1 KB or more are compressed, br first, else gzip; small ones and clients without Accept-Encoding get identity', async (t) => {
  const { app } = await buildTestApp(t)
  const url = `/v1/prisoners/${SEED.karnei}`
  const plain = await app.inject({ url })
  t.ok(plain.rawPayload.length > 1024, 'a record is over the threshold')
  t.notOk(plain.headers['content-encoding'], 'no Accept-Encoding: identity')
  for (const [accept, expected] of [
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['identity', undefined],
  ] as const) {
    const res = await app.inject({ url, headers: { 'accept-encoding': accept } })
    t.equal(res.headers['content-encoding'], expected, `${accept}: ${expected ?? 'identity'}`)
    t.same(JSON.parse(decode(expected, res.rawPayload).toString()), plain.json(), `${accept}: the same record once decoded`)
    t.match(res.headers.vary, /accept-encoding/i, `${accept}: Vary names Accept-Encoding`)
    t.match(res.headers.vary, /Authorization/, `${accept}: and still Authorization`)
    t.equal(String(res.headers.vary).match(/accept-encoding/gi)?.length, 1, `${accept}: once`)
    if (expected) t.ok(res.rawPayload.length < plain.rawPayload.length / 2, `${accept}: less than half the size`)
  }
  const health = await app.inject({ url: '/health', headers: { 'accept-encoding': 'gzip, br' } })
  t.ok(health.rawPayload.length < 1024, '/health is small')
  t.notOk(health.headers['content-encoding'], 'under 1 KB: not compressed')
})

t.test('ETags are those of the representation, the same in every coding; If-None-Match gets 304 with and without Accept-Encoding', async (t) => {
  const { app, editor } = await buildTestApp(t)
  for (const url of [`/v1/prisoners/${SEED.karnei}`, '/v1/sources', '/docs/json']) {
    const plain = await app.inject({ url })
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
    t.equal(br.headers['content-encoding'], 'br', `${url}: compressed`)
    t.ok(plain.headers.etag, `${url}: an ETag`)
    t.equal(br.headers.etag, plain.headers.etag, `${url}: br, the same ETag`)
    t.equal(gzip.headers.etag, plain.headers.etag, `${url}: gzip, the same ETag`)
    for (const accept of [undefined, 'gzip, deflate, br', 'identity']) {
      for (const etag of [plain.headers.etag, br.headers.etag]) {
        const res = await app.inject({ url, headers: { 'if-none-match': String(etag), ...(accept ? { 'accept-encoding': accept } : {}) } })
        t.equal(res.statusCode, 304, `${url}, Accept-Encoding ${accept ?? 'absent'}: 304`)
        t.equal(res.rawPayload.length, 0, 'without a body')
        t.notOk(res.headers['content-encoding'], 'nor a Content-Encoding')
        t.equal(res.headers.etag, plain.headers.etag, 'with the ETag')
        t.match(res.headers.vary, /accept-encoding/i, 'and the Vary of the 200 (RFC 9110 §15.4.5)')
      }
    }
  }
  // A browser reads a record compressed, then writes with the ETag it got: If-Match still matches.
  const read = await editor.get(`/v1/prisoners/${SEED.karnei}`).set('accept-encoding', 'gzip')
  t.equal(read.headers['content-encoding'], 'gzip')
  const deleted = await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', read.headers.etag as string)
  t.equal(deleted.status, 204, 'If-Match with the ETag of a compressed read')
})

t.test("a source's text is sent as it is, so that its Repr-Digest is the digest of what is received", async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: `/v1/sources/${SEED.articleA}/content`, headers: { 'accept-encoding': 'gzip, br' } })
  t.equal(res.statusCode, 200)
  t.notOk(res.headers['content-encoding'], 'not compressed')
  const digest = createHash('sha256').update(res.rawPayload).digest('base64')
  t.equal(res.headers['repr-digest'], `sha-256=:${digest}:`, 'Repr-Digest is of the bytes received')
})

t.test('the export is compressed and still a stream', async (t) => {
  const { app } = await buildTestApp(t)
  for (const format of ['csv', 'ndjson']) {
    const url = `/v1/export?format=${format}`
    const plain = await app.inject({ url })
    const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
    t.equal(gzip.headers['content-encoding'], 'gzip', `${format}: gzip`)
    t.equal(gzip.headers['transfer-encoding'], 'chunked', `${format}: streamed (chunked, no Content-Length)`)
    t.equal(gunzipSync(gzip.rawPayload).toString(), plain.body, `${format}: the same bytes once decoded`)
    t.ok(gzip.rawPayload.length < plain.rawPayload.length / 3, `${format}: a third of the size or less`)
  }
})

t.test('a compressed stream sends each chunk as it is written, not when the compressor buffer fills', async (t) => {
  const app = Fastify()
  await app.register(compressPlugin)
  let received: () => void = () => {}
  const firstChunkReceived = new Promise<void>((resolve) => (received = resolve))
  app.get('/stream', (_request, reply) => {
    async function* chunks() {
      yield `${'first chunk, '.repeat(200)}\n`
      // The second chunk waits until the client has decoded the first: without a flush per chunk, gzip would
      // hold the first in its buffer and this would never end.
      await firstChunkReceived
      yield `${'second chunk, '.repeat(200)}\n`
    }
    reply.type('text/csv; charset=utf-8').send(Readable.from(chunks()))
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  const port = (app.server.address() as AddressInfo).port
  const text = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the first chunk never arrived: the stream is held by the compressor')), 5000)
    get({ host: '127.0.0.1', port, path: '/stream', headers: { 'accept-encoding': 'gzip' } }, (res) => {
      t.equal(res.headers['content-encoding'], 'gzip')
      let body = ''
      res.pipe(createGunzip()).on('data', (chunk: Buffer) => {
        body += chunk.toString()
        if (body.includes('first chunk')) received()
      }).on('end', () => {
        clearTimeout(timer)
        resolve(body)
      }).on('error', reject)
    }).on('error', reject)
  })
  t.match(text, /^first chunk.*\nsecond chunk.*\n$/s, 'both chunks, in order')
})

t.test('request bodies are decoded by request-body.plugin.ts, not by the compression plugin, and read as JSON', async (t) => {
  const { app, keys } = await buildTestApp(t, { seed: false })
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sources',
    headers: { authorization: `Bearer ${keys.volunteer}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    payload: gzipSync(JSON.stringify({ title: 'x' })),
  })
  t.equal(res.statusCode, 422, 'decoded, and its one problem is the field it lacks')
  t.match(res.json().errors, [{ path: '/kind' }])
  t.match(res.headers['content-type'], /^application\/problem\+json/, 'a problem, as any refusal')
})
