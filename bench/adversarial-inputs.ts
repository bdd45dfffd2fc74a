import { brotliCompressSync, constants, createGzip, gzipSync } from 'node:zlib'
import { Prng } from './dataset'

/**
 * What the attacker of the adversarial scenario sends (issue 23): inputs each measured to hurt the server, as one
 * volunteer could send them within the production limits (a body of at most 2 MiB, BODY_LIMIT's default).
 * Sizes are those of the issue, not derived from the limit, so that runs stay comparable.
 */
export interface AttackInput {
  name: string
  method: 'POST' | 'PATCH'
  path: string
  headers: Record<string, string>
  body: Buffer
}

/** What the inputs point at, made before the attack (by an editor, so that the attacker's budget is untouched). */
export interface AttackTargets {
  /** A source whose archived text is about 1 MB of words (archivedSourceBody). */
  sourceId: string
  /** A published record, and its current ETag (PATCH needs If-Match to reach its body). */
  recordId: string
  etag: string
}

const MB = 1_000_000
const MiB = 1024 * 1024

/** A few thousand made-up words: the 1 MB source and the quotes that are not in it are drawn from the same ones. */
function vocabulary(rng: Prng): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  return Array.from({ length: 3000 }, () => Array.from({ length: 3 + rng.int(8) }, () => letters[rng.int(letters.length)]).join(''))
}

function words(rng: Prng, vocabulary: string[], length: number): string {
  const out: string[] = []
  let size = 0
  while (size < length) {
    const word = rng.pick(vocabulary)
    out.push(word)
    size += word.length + 1
  }
  return out.join(' ').slice(0, length).trim()
}

/** The archived text the random-word quotes are checked against: 999,000 characters of words. */
function archivedText(): string {
  const rng = new Prng('bench-adversarial-source')
  return words(rng, vocabulary(rng), 999_000)
}

/** The JSON body of that source. */
export const archivedSourceBody = () => JSON.stringify({ title: 'Adversarial benchmark: a long archived source', kind: 'other', content: archivedText() })

/** A multipart/form-data body of text fields and at most one file. */
function multipart(fields: { name: string; value: string | Buffer; filename?: string; type?: string }[]): { body: Buffer; type: string } {
  const boundary = 'bench-adversarial-boundary-7d1f'
  const parts = fields.flatMap(({ name, value, filename, type }) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
    ),
    Buffer.isBuffer(value) ? value : Buffer.from(value),
    Buffer.from('\r\n'),
  ])
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` }
}

const json = { 'content-type': 'application/json' }

function htmlUpload(name: string, html: string): AttackInput {
  const form = multipart([
    { name: 'title', value: 'Adversarial benchmark page' },
    { name: 'kind', value: 'news' },
    { name: 'file', value: Buffer.from(html), filename: 'page.html', type: 'text/html' },
  ])
  return { name, method: 'POST', path: '/v1/sources', headers: { 'content-type': form.type }, body: form.body }
}

/** A record whose name cites `quotes` of the source, each as one citation (alternatives hold the rest: 20 citations a claim). */
function recordCiting(sourceId: string, quotes: string[]): string {
  const claims: { value: string; citations: { sourceId: string; quote: string }[] }[] = []
  for (let i = 0; i < quotes.length; i += 20) {
    claims.push({ value: `Adversary ${claims.length + 1}`, citations: quotes.slice(i, i + 20).map((quote) => ({ sourceId, quote })) })
  }
  const [name, ...alternatives] = claims
  return JSON.stringify({ name: { ...name, ...(alternatives.length ? { alternatives } : {}) }, comment: 'Adversarial benchmark.' })
}

/** Gzip of a JSON text of 1 GiB (a comment of spaces): about 1 MB on the wire. Compressed once, in about 2 s. */
function gzipBomb(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION })
    const chunks: Buffer[] = []
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk))
    gzip.on('end', () => resolve(Buffer.concat(chunks)))
    gzip.on('error', reject)
    const spaces = Buffer.alloc(16 * MiB, 0x20)
    gzip.write('{"comment":"')
    for (let i = 0; i < 64; i++) gzip.write(spaces)
    gzip.end('"}')
  })
}

const size = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / 1000).toFixed(0)} kB`)

/** Every input, in the order the attacker cycles through them. */
export async function attackInputs({ sourceId, recordId, etag }: AttackTargets): Promise<AttackInput[]> {
  const rng = new Prng('bench-adversarial-quotes')
  const vocab = vocabulary(new Prng('bench-adversarial-source'))

  const siblings = `<p>${'<b>x</b>'.repeat(230_000)}</p>`
  const nested = `${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}`
  const longQuote = recordCiting(sourceId, [words(rng, vocab, 1_900_000)])
  // As many quotes of random words as a body under the limit holds: 420 (21 claims of 20), of 4,400 characters each.
  const randomQuotes = recordCiting(
    sourceId,
    Array.from({ length: 420 }, () => words(rng, vocab, 4_400)),
  )
  // 38 fields of 1.99 MiB: each just under the limit of one field (the body limit), 75.6 MiB in all.
  const bigForm = multipart(Array.from({ length: 38 }, () => ({ name: 'content', value: Buffer.alloc(Math.floor(1.99 * MiB), 'x') })))
  // A record that would be accepted, were its body decompressed: its quote is the source's first words.
  const quote = archivedText().slice(0, 60).replace(/\s+\S*$/, '')
  const validRecord = JSON.stringify({ name: { value: 'Adversary', citations: [{ sourceId, quote }] }, comment: 'Compressed body.' })
  const bomb = await gzipBomb()

  return [
    htmlUpload(`POST /v1/sources, .html file of 230,000 sibling tags (${size(siblings.length)})`, siblings),
    htmlUpload(`POST /v1/sources, .html file of 10,000 nested div tags (${size(nested.length)})`, nested),
    { name: `POST /v1/prisoners, a quote of 1.9 MB (body ${size(longQuote.length)})`, method: 'POST', path: '/v1/prisoners', headers: json, body: Buffer.from(longQuote) },
    { name: 'the same with ?dryRun=true', method: 'POST', path: '/v1/prisoners?dryRun=true', headers: json, body: Buffer.from(longQuote) },
    {
      name: `POST /v1/prisoners, 420 quotes of random words against a 1 MB source (body ${size(randomQuotes.length)})`,
      method: 'POST',
      path: '/v1/prisoners',
      headers: json,
      body: Buffer.from(randomQuotes),
    },
    { name: 'the same with ?dryRun=true', method: 'POST', path: '/v1/prisoners?dryRun=true', headers: json, body: Buffer.from(randomQuotes) },
    { name: `POST /v1/sources, a form of 38 fields of 1.99 MiB (${size(bigForm.body.length)})`, method: 'POST', path: '/v1/sources', headers: { 'content-type': bigForm.type }, body: bigForm.body },
    { name: 'POST /v1/prisoners, no body (Content-Length: 0)', method: 'POST', path: '/v1/prisoners', headers: json, body: Buffer.alloc(0) },
    { name: 'PATCH /v1/prisoners/{id}, no body (Content-Length: 0)', method: 'PATCH', path: `/v1/prisoners/${recordId}`, headers: { ...json, 'if-match': etag }, body: Buffer.alloc(0) },
    {
      name: 'POST /v1/sources, multipart with no body (Content-Length: 0)',
      method: 'POST',
      path: '/v1/sources',
      headers: { 'content-type': 'multipart/form-data; boundary=bench-adversarial-boundary-7d1f' },
      body: Buffer.alloc(0),
    },
    { name: 'POST /v1/prisoners, JSON labelled Content-Encoding: br', method: 'POST', path: '/v1/prisoners', headers: { ...json, 'content-encoding': 'br' }, body: brotliCompressSync(validRecord) },
    { name: 'POST /v1/prisoners, JSON gzipped (Content-Encoding: gzip)', method: 'POST', path: '/v1/prisoners', headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(validRecord) },
    { name: `POST /v1/prisoners, gzip bomb (${size(bomb.length)} expanding to 1 GiB)`, method: 'POST', path: '/v1/prisoners', headers: { ...json, 'content-encoding': 'gzip' }, body: bomb },
  ]
}
