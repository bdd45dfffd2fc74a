import { connect } from 'node:net'
import zlib from 'node:zlib'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { listening } from '../helpers/raw-http'
import { registeredRoutes } from '../helpers/routes'
import { SEED, buildTestApp, snapshot } from '../helpers/test-app'

/**
 * Invariant 10 at the body's edge (issue 23, items 3-5): no body costs more than the body limit, whatever its type
 * (JSON, urlencoded, multipart) or its Content-Encoding, and a write without a body is told what it needs.
 */

const LIMIT = 2 * 1024 * 1024
const PROBLEM_JSON = /^application\/problem\+json/

interface Answer {
  status: number
  body: { type?: string; detail?: string; errors?: { path: string; message: string }[] }
  /** Body bytes the client had handed to its socket when the first byte of the answer arrived. */
  sentBeforeAnswer: number
}

/**
 * Sends a multipart form part by part, as a browser uploads one (Content-Length declared), waiting whenever the
 * connection is full, and stops sending once the answer starts: what it sent by then bounds what the server read.
 */
function uploadForm(port: number, key: string, boundary: string, parts: Buffer[]): Promise<Answer> {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const received: Buffer[] = []
    let sent = 0
    let sentBeforeAnswer = -1
    socket.on('data', (chunk) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent
      received.push(chunk)
    })
    socket.on('error', () => {}) // the server closes the connection after a 413; writes after it fail
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8')
      const [head, ...rest] = text.split('\r\n\r\n')
      if (!head) return reject(new Error('no answer'))
      resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(rest.join('\r\n\r\n')), sentBeforeAnswer })
    })
    socket.on('connect', async () => {
      socket.write(
        `POST /v1/sources HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\n\r\n`,
      )
      for (const part of parts) {
        for (let at = 0; at < part.length && sentBeforeAnswer < 0 && !socket.destroyed; at += 64 * 1024) {
          const chunk = part.subarray(at, at + 64 * 1024)
          sent += chunk.length
          if (!socket.write(chunk)) await new Promise((drained) => (socket.once('drain', drained), socket.once('close', drained)))
        }
      }
    })
  })
}

/** A body sent as the bytes given (supertest would serialise a Buffer sent as JSON), over HTTP to the listening app. */
async function postBytes(app: FastifyInstance, key: string, url: string, headers: Record<string, string>, body: Buffer) {
  const answer = await fetch(`http://127.0.0.1:${await listening(app)}${url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, ...headers },
    body,
  })
  return { status: answer.status, headers: answer.headers, body: (await answer.json()) as Answer['body'] & { id?: string; title?: string } }
}

function formParts(boundary: string, fields: [name: string, value: string, filename?: string][]): Buffer[] {
  return [
    ...fields.map(([name, value, filename]) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: text/plain` : ''}\r\n\r\n${value}\r\n`,
      ),
    ),
    Buffer.from(`--${boundary}--\r\n`),
  ]
}


/** What a dry run's answer says would have been saved. */
const wouldBe = (body: unknown) => (body as { wouldBe: { title?: string } }).wouldBe

t.test('a form of 38 fields of 1.99 MB is refused 413 once it passes the limit, not read whole first', async (t) => {
  const { app, keys, database } = await buildTestApp(t)
  const before = await snapshot(database)
  const boundary = 'bounded-form'
  const field = 'x'.repeat(Math.floor(1.99 * 1024 * 1024))
  const fields = Array.from({ length: 38 }, (_, i) => [`field${i + 1}`, field] as [string, string])
  const parts = formParts(boundary, fields)
  const total = parts.reduce((sum, part) => sum + part.length, 0)
  t.ok(total > 75 * 1024 * 1024, 'the form is 75 MB')

  const answer = await uploadForm(await listening(app), keys.editor, boundary, parts)
  t.equal(answer.status, 413)
  t.equal(answer.body.type, '/problems/payload-too-large')
  t.match(answer.body.detail, /larger than 2 MB \(2097152 bytes\).*"field2"/, 'the limit, and the part the form passed it in')
  t.match(answer.body.errors, [{ path: 'field2' }])
  // Before, the whole 75 MB was read and only then answered (422). Now the answer comes after the limit; what the
  // client had sent by then is the limit plus what the connection's buffers on both sides hold (a few MB).
  t.ok(answer.sentBeforeAnswer < 24 * 1024 * 1024, `answered after ${(answer.sentBeforeAnswer / 1024 / 1024).toFixed(1)} MB of ${(total / 1024 / 1024).toFixed(1)} MB sent`)
  t.same(await snapshot(database), before, 'nothing stored')
})

t.test('a file over the limit is 413 naming the file and the limit; two files are 422, one file per source', async (t) => {
  const { editor, database } = await buildTestApp(t)
  const before = await snapshot(database)
  const big = await editor.post('/v1/sources').field('title', 'T').field('kind', 'news').attach('file', Buffer.alloc(LIMIT + 1, 'a'), 'article.txt')
  t.equal(big.status, 413)
  t.match(big.headers['content-type'], PROBLEM_JSON)
  t.match(big.body.detail, /2097152 bytes.*"file"/)
  t.match(big.body.errors, [{ path: 'file', message: /2 MB/ }])

  const json = await editor.post('/v1/sources').send({ title: 'x'.repeat(LIMIT), kind: 'news' })
  t.equal(json.status, 413, 'the same 413 as a JSON body')
  t.match(json.body.detail, /larger than 2 MB \(2097152 bytes\)/, 'which says the limit too')

  const two = await editor.post('/v1/sources').field('title', 'T').field('kind', 'news').attach('file', Buffer.from('One.'), 'a.txt').attach('file', Buffer.from('Two.'), 'b.txt')
  t.equal(two.status, 422)
  t.match(two.body.errors, [{ path: 'file', message: /one file per source/ }])
  t.same(await snapshot(database), before, 'nothing stored')
})

/** Every route that changes something, from the app's own routing table. */
const writeRoutes = (app: FastifyInstance) => registeredRoutes(app, ['POST', 'PUT', 'PATCH', 'DELETE'])

t.test('a write with no body, or an empty one, is 4xx problem+json on every route, never 500', async (t) => {
  const { app, admin, database } = await buildTestApp(t)
  const before = await snapshot(database)
  const routes = writeRoutes(app)
  t.ok(routes.length >= 17, `${routes.length} write routes`)
  const target = (url: string) => url.replace(':id', SEED.tsikhanouski).replace(':field', 'name')
  // An operation that takes no body (signing a checkpoint) may succeed without one; it never answers 5xx either.
  const document = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
  const takesBody = (method: string, url: string) => document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.requestBody !== undefined
  for (const { method, url } of routes) {
    const request = () => admin[method.toLowerCase() as 'post'](target(url))
    const answers = {
      'no body': await request(),
      'Content-Length: 0': await request().set('content-type', 'application/json').send(''),
    }
    for (const [how, answer] of Object.entries(answers)) {
      if (!takesBody(method, url) && answer.status < 400) {
        t.ok(answer.status >= 200 && answer.status < 300, `${method} ${url} takes no body, ${how}: ${answer.status}`)
        continue
      }
      t.ok(answer.status >= 400 && answer.status < 500, `${method} ${url}, ${how}: ${answer.status} ${answer.body.type}`)
      t.match(answer.headers['content-type'], PROBLEM_JSON)
    }
  }
  // The three of the issue, and a JSON-only one: the body is missing, and the answer says what the operation takes.
  for (const [method, url, takes, form] of [
    ['post', '/v1/prisoners', /application\/json.*multipart\/form-data/, true],
    ['patch', `/v1/prisoners/${SEED.tsikhanouski}`, /application\/json.*multipart\/form-data/, true],
    ['post', '/v1/sources', /application\/json.*with at least kind/, true],
    ['post', '/v1/keys', /\(application\/json\) with at least name, role/, false],
  ] as const) {
    const empty = [admin[method](url), admin[method](url).set('content-type', 'application/json').send('')]
    if (form) empty.push(admin[method](url).type('form').send(''), admin[method](url).set('content-type', 'multipart/form-data; boundary=x').send(''))
    for (const answer of await Promise.all(empty)) {
      t.equal(answer.status, 400, `${method} ${url}`)
      t.equal(answer.body.type, '/problems/missing-body')
      t.match(answer.body.detail, takes)
    }
  }
  t.same(await snapshot(database), before, 'nothing stored')
})

t.test('Content-Encoding: gzip, deflate and br are decoded, within the limit; any other coding is 415', async (t) => {
  const { app, editor, keys, database } = await buildTestApp(t)
  const post = (url: string, headers: Record<string, string>, body: Buffer) => postBytes(app, keys.editor, url, headers, body)
  const json = { 'content-type': 'application/json' }
  const source = { title: 'Compressed', kind: 'news', content: 'Ihar Karnei was freed on 21 June 2025.' }
  const plain = Buffer.from(JSON.stringify(source))
  const encoded = { gzip: zlib.gzipSync(plain), deflate: zlib.deflateSync(plain), br: zlib.brotliCompressSync(plain) }
  for (const [coding, body] of Object.entries(encoded)) {
    const created = await post('/v1/sources', { ...json, 'content-encoding': coding }, body)
    t.equal(created.status, 201, coding)
    const stored = await editor.get(`/v1/sources/${created.body.id}/content`)
    t.equal(stored.text, source.content, `${coding}: the decoded text is stored`)
  }

  const before = await snapshot(database)
  const notBr = await post('/v1/sources', { ...json, 'content-encoding': 'br' }, plain)
  t.equal(notBr.status, 400, 'plain JSON labelled br is not stored as if plain')
  t.equal(notBr.body.type, '/problems/undecodable-body', 'a problem of the body, not of the query string or path')
  t.match(notBr.body.detail, /labelled Content-Encoding: br/)

  const form = await post('/v1/sources?dryRun=true', { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, zlib.gzipSync('title=Form&kind=news'))
  t.equal(form.status, 200, 'a form is decoded too')
  t.equal(wouldBe(form.body).title, 'Form')
  const multipart = Buffer.concat(formParts('b', [['title', 'Multipart'], ['kind', 'news']]))
  const decodedForm = await post('/v1/sources?dryRun=true', { 'content-type': 'multipart/form-data; boundary=b', 'content-encoding': 'br' }, zlib.brotliCompressSync(multipart))
  t.equal(decodedForm.status, 200, 'a multipart form too')
  t.equal(wouldBe(decodedForm.body).title, 'Multipart')

  for (const coding of ['zstd', 'compress', 'gzip, br']) {
    const refused = await post('/v1/sources', { ...json, 'content-encoding': coding }, plain)
    t.equal(refused.status, 415, coding)
    t.equal(refused.body.type, '/problems/unsupported-content-encoding')
    t.equal(refused.headers.get('accept-encoding'), 'gzip, deflate, br', 'Accept-Encoding names what is decoded (RFC 9110 §15.5.16)')
  }
  t.same(await snapshot(database), before, 'nothing stored')
})

t.test('a gzip bomb is refused 413, JSON or form', async (t) => {
  const { app, keys, database } = await buildTestApp(t)
  const before = await snapshot(database)
  // 200 KB that inflate to 200 MB.
  const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024, ' '))
  for (const type of ['application/json', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) {
    const answer = await postBytes(app, keys.editor, '/v1/sources', { 'content-type': type, 'content-encoding': 'gzip' }, bomb)
    t.equal(answer.status, 413, type)
    t.match(answer.body.detail, /larger than 2 MB \(2097152 bytes\)/)
  }
  t.same(await snapshot(database), before, 'nothing stored')
})
