/**
 * Contract fuzzing generated from openapi.yaml (invariant 6 of docs/design.md: bad input never breaks it).
 *
 * For every operation of the committed contract and every kind of caller (anonymous, volunteer, editor,
 * admin, a revoked key) it sends FUZZ_CASES requests, each of them a valid-looking request with one
 * part made hostile (path, query, headers, content type or body), and checks every answer: never a 5xx
 * (a 503 with Retry-After is an honest "try later"), every 4xx an RFC 9457 problem, no stack trace.
 * After the run it checks that nothing malformed was stored. Writes that are valid may succeed.
 *
 * Deterministic: every case draws from a PRNG seeded by (FUZZ_SEED, operation, role, case number), so a
 * failure printed with its seed and request comes back with the same seed. Run another seed with
 * FUZZ_SEED=123 npx tap test/fuzz/openapi.fuzz.test.ts.
 */
import { readFileSync } from 'node:fs'
import { type AddressInfo, connect } from 'node:net'
import path from 'node:path'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { KeysService, hashKey } from '../../src/core/access/api-keys'
import type { Database } from '../../src/db/database'
import { SEED, buildTestApp } from '../helpers/test-app'

/** Requests per operation and role: 30 operations x 5 roles x 32, about 4,800 requests, plus the pinned cases. */
const FUZZ_CASES = 32
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261202)
const BODY_LIMIT = 2 * 1024 * 1024 // the app's default, so the oversized body below is just over it

// ---------------------------------------------------------------------------------------------------
// Deterministic randomness

interface Rng {
  next(): number
  int(below: number): number
  pick<T>(items: readonly T[]): T
  chance(p: number): boolean
}

function rngFrom(...parts: Array<string | number>): Rng {
  // FNV-1a over the parts, then mulberry32: small, fast, and the same on every machine.
  let h = 2166136261
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  let a = h >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const int = (below: number) => Math.floor(next() * below)
  return { next, int, pick: (items) => items[int(items.length)], chance: (p) => next() < p }
}

const randomUuid = (rng: Rng) =>
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => rng.int(16).toString(16))

// ---------------------------------------------------------------------------------------------------
// The contract

// A JSON Schema object as parsed from openapi.yaml: its keywords are read freely, as the spec is what is tested.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped parsed YAML, walked keyword by keyword
type Schema = Record<string, any>
interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema: Schema
}
interface Operation {
  label: string
  method: string
  path: string
  parameters: Parameter[]
  bodySchema?: Schema
  bodyExample?: unknown
}

const spec = parseYaml(readFileSync(path.join(__dirname, '../../openapi.yaml'), 'utf8'))
const METHODS = ['get', 'post', 'put', 'patch', 'delete']

function resolve(schema: Schema | undefined): Schema {
  if (!schema?.$ref) return schema ?? {}
  return resolve(spec.components.schemas[String(schema.$ref).split('/').pop()!])
}

function loadOperations(): Operation[] {
  return Object.entries<Record<string, Schema>>(spec.paths).flatMap(([route, item]) =>
    METHODS.filter((m) => item[m]).map((method) => {
      const op = item[method]
      const json = op.requestBody?.content?.['application/json']
      const bodySchema = json && resolve(json.schema)
      return {
        label: `${method.toUpperCase()} ${route}`,
        method: method.toUpperCase(),
        path: route,
        parameters: (op.parameters ?? []).map((p: Parameter) => ({ ...p, schema: resolve(p.schema) })),
        bodySchema,
        bodyExample: json?.example ?? bodySchema?.example,
      }
    }),
  )
}

/** Every `{ sourceId, quote }` of the contract's examples: citations whose quotes really are in their sources. */
function exampleCitations(): Schema[] {
  const found: Schema[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') {
      const o = v as Schema
      if (typeof o.sourceId === 'string' && typeof o.quote === 'string') found.push(o)
      Object.values(o).forEach(walk)
    }
  }
  walk(spec)
  return found
}

// ---------------------------------------------------------------------------------------------------
// Inputs

const CITED_FIELDS = ['name', 'nationality', 'status', 'sentence', 'releaseDate', 'destination'] as const
type CitedField = (typeof CITED_FIELDS)[number]
const FIELD_VALUES: Record<CitedField, unknown> = {
  name: 'Ihar Karnei',
  nationality: 'BY',
  status: 'released',
  sentence: { text: '15 years in a penal colony', termMonths: 180, sentencedIn: '2021' },
  releaseDate: '2025-06-21',
  destination: { country: 'LT', place: 'Vilnius' },
}

/** Values of the wrong type, or of the right type and absurd, for any place in a body. */
const WRONG_VALUES: unknown[] = [null, [], {}, 0, -1, 1.5, 1e308, true, '', ' ', 'x', [null], [[]], [{}], { value: null }]

/** Strings no field should store as given: lone UTF-16 halves (sent as JSON escapes), NUL, controls. */
const HOSTILE_STRINGS = [
  '\ud800', '\udfff', 'Ihar \udc00Karnei', 'a\ud800\ud800b', '\u0000', 'Ihar\u0000Karnei', '\u0007\u001b[2J\r\n',
  '\u202eiehsnauokhsiT', '\ufeff', '\u2028\u2029', ' \t ', '<script>alert(1)</script>', "'; DROP TABLE prisoners; --",
]

/** Raw (already percent-encoded) values for path and query parameters. */
const HOSTILE_PARAMS = [
  '', '%20', 'abc', '-1', '0', '1.5', '1e3', '0x10', '99999999999999999999999', 'NaN', 'Infinity', 'true', 'null',
  '%5B%5D', '%7B%7D', 'x'.repeat(5000), '%00', 'a%00b', '%ED%A0%80', '%F0%9F%98%80', '%ZZ', '%', '..%2F..%2Fetc',
  '%3Cscript%3E', '2025-02-30', '2025-13', 'lt', '%27%20OR%201%3D1--', '%E2%80%AE', '%C3%28', '00000000-0000-0000-0000-000000000000',
]

const RAW_BAD_JSON = [
  '', ' ', '{', '}', '{"a":', '{"a":1,}', "{'a':1}", 'nul', 'NaN', '{"a":1}{"b":2}', '{"a":undefined}', '\u0000',
  '{"a":"\\ud800"', '{"a":"\\x41"}', '{"a":"\\u12"}', '\ufeff{}', '[', '"unterminated', '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}', '{"a":1e999}', '{"a":-0}', '{"decision":"approve","decision":"reject"}',
]
const NON_OBJECT_JSON = ['[]', 'null', '0', '-1', '"a string"', 'true', '[{}]', '[null]', '1e999', '"\\ud800"']

const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'multipart/form-data',
  'application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'APPLICATION/JSON', 'application/xml',
  'application/merge-patch+json', 'application/problem+json', 'application/json, text/plain', '', 'garbage',
]

// ---------------------------------------------------------------------------------------------------
// Valid-looking values from a schema

interface Context {
  rng: Rng
  field?: CitedField // the {field} path parameter, which decides the shape of a claim's value
  claimIds: string[]
  cursors: string[]
  citations: Schema[]
}

function sampleString(schema: Schema, name: string, ctx: Context): string {
  const { rng } = ctx
  const pattern = String(schema.pattern ?? '')
  if (schema.enum) return rng.pick(schema.enum)
  if (schema.format === 'uuid') return name === 'claimId' && ctx.claimIds.length ? rng.pick(ctx.claimIds) : randomUuid(rng)
  if (schema.format === 'url') return 'https://example.org/fuzz'
  if (pattern.includes('\\d{4}')) return rng.pick(['2025', '2025-06', '2025-06-21'])
  if (pattern === '^[A-Z]{2}$') return rng.pick(['LT', 'BY', 'PL', 'US'])
  if (pattern.startsWith('^[A-Za-z0-9_-]')) return ctx.cursors.length && rng.chance(0.7) ? rng.pick(ctx.cursors) : 'eyJ4IjoxfQ'
  if (pattern.startsWith('^[A-Za-z]{2,3}')) return rng.pick(['en', 'be', 'ru-RU'])
  const text = rng.pick(['Karnei', 'Tsikhanouski', 'Карней', 'A reason given by the fuzz test', 'Ihar'])
  return text.slice(0, schema.maxLength ?? text.length)
}

function sample(input: Schema | undefined, ctx: Context, name = ''): unknown {
  const schema = resolve(input)
  const { rng } = ctx
  if (schema.not) return ctx.field ? structuredClone(FIELD_VALUES[ctx.field]) : 'Ihar Karnei' // a claim's value
  // A null value takes no citations: a valid-looking body gives values (the mutations bring the nulls).
  if (schema.anyOf) return sample(rng.pick((schema.anyOf as Schema[]).filter((s) => s.type !== 'null')), ctx, name)
  if (schema.properties?.sourceId && schema.properties?.quote) return { ...rng.pick(ctx.citations) }
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        if (schema.required?.includes(key) || rng.chance(0.5)) out[key] = sample(sub, ctx, key)
      }
      return out
    }
    case 'array':
      return Array.from({ length: 1 + rng.int(2) }, () => sample(schema.items, ctx, name))
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0
      return min + rng.int(Math.min(schema.maximum ?? 100, min + 100) - min + 1)
    }
    case 'boolean':
      return rng.chance(0.5)
    case 'null':
      return null
    default:
      return sampleString(schema, name, ctx)
  }
}

/** The examples are written for one record and field: a claim's value must fit the field of the path, a claimId name a claim of it. */
function fitToPath(body: unknown, ctx: Context): unknown {
  if (!isObject(body)) return body
  if ('claimId' in body && ctx.claimIds.length) body.claimId = ctx.rng.pick(ctx.claimIds)
  if ('value' in body && 'citations' in body && ctx.field) body.value = structuredClone(FIELD_VALUES[ctx.field])
  return body
}

// ---------------------------------------------------------------------------------------------------
// Body mutations

type JsonPath = Array<string | number>
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

function allPaths(value: unknown, at: JsonPath = []): JsonPath[] {
  const children = isObject(value) || Array.isArray(value) ? Object.entries(value) : []
  return [at, ...children.flatMap(([k, v]) => allPaths(v, [...at, Array.isArray(value) ? Number(k) : k]))]
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any JSON value along any path of a body
const getAt = (root: unknown, at: JsonPath) => at.reduce<any>((node, key) => node?.[key], root)
function setAt(root: unknown, at: JsonPath, value: unknown): unknown {
  if (!at.length) return value
  getAt(root, at.slice(0, -1))[at[at.length - 1]] = value
  return root
}

/** One structural change at a random place: drop a key, change a type, add a key, wrap in an array. */
/**
 * One mutation. A wrong value is always a copy: the same object of WRONG_VALUES placed in a body and then given a key
 * by a later mutation (case 2) would be changed for every later case, and could come to hold itself.
 */
function mutateOnce(body: unknown, rng: Rng): unknown {
  const at = rng.pick(allPaths(body))
  const node = getAt(body, at)
  const parent = getAt(body, at.slice(0, -1))
  switch (rng.int(4)) {
    case 0:
      if (at.length && isObject(parent)) {
        delete parent[at[at.length - 1] as string]
        return body
      }
      return setAt(body, at, structuredClone(rng.pick(WRONG_VALUES)))
    case 1:
      return setAt(body, at, structuredClone(rng.pick(WRONG_VALUES)))
    case 2:
      if (isObject(node)) node[rng.pick(['unexpected', 'value', 'citations', 'alternatives', '', 'id', 'version'])] = structuredClone(rng.pick(WRONG_VALUES))
      return body
    default:
      return setAt(body, at, [node])
  }
}

function replaceRandomString(body: unknown, rng: Rng, make: (old: string) => string): unknown {
  const strings = allPaths(body).filter((at) => typeof getAt(body, at) === 'string')
  if (!strings.length) return isObject(body) ? { ...body, extra: make('') } : make('')
  const at = rng.pick(strings)
  return setAt(body, at, make(getAt(body, at)))
}

/** The shapes a cited field (`{ value, citations, alternatives }`) must refuse, as a 4xx, not a 500. */
function citedFieldShapes(field: CitedField, cite: Schema): Array<[string, unknown]> {
  const value = structuredClone(FIELD_VALUES[field])
  const citations = [cite]
  return [
    ['value is an array', { value: [value], citations }], // {"destination":{"value":[{"country":"LT"}],...}}
    ['no value', { citations }], // {"sentence":{"citations":[...]}}
    ['alternatives: [[]]', { value, citations, alternatives: [[]] }],
    ['alternatives: [null]', { value, citations, alternatives: [null] }],
    ['alternative without value', { value, citations, alternatives: [{ citations }] }],
    ['alternative value is an array', { value, citations, alternatives: [{ value: [value], citations }] }],
    ['alternatives is an object', { value, citations, alternatives: {} }],
    ['citations: [[]]', { value, citations: [[]] }],
    ['citations: [null]', { value, citations: [null] }],
    ['citations is a string', { value, citations: 'x' }],
    ['citations: [{}]', { value, citations: [{}] }],
    ['field is an array', [{ value, citations }]],
    ['field is a string', 'x'],
    ['value is an empty object', { value: {}, citations }],
    ['value has arrays inside', { value: isObject(value) ? { text: [], country: ['LT'] } : [[]], citations }],
    ['impossible date', { value: field === 'sentence' ? { text: 'x', sentencedIn: '2025-02-30' } : '2025-02-30', citations }],
  ]
}

/** Puts a cited field's shape where the operation takes it: a field of a record, or the claim body itself. */
function withCitedField(op: Operation, valid: unknown, field: CitedField, shape: unknown): unknown {
  if (op.bodySchema?.properties?.destination) return { ...(valid as object), [field]: shape }
  return isObject(shape) ? { reason: 'fuzz', ...shape } : shape
}

/** Operations whose body carries cited values: records (every field) and claims (one field, from the path). */
const takesCitedValues = (op: Operation) => !!(op.bodySchema?.properties?.destination || op.bodySchema?.properties?.citations)

interface Body {
  kind: string // what was done, without the details: failures are grouped by it
  input: string
  payload: string | Buffer
}

const json = (value: unknown) => JSON.stringify(value) ?? 'null'

/** A hostile body for an operation, built from a valid-looking one; `input` says what was done to it. */
function hostileBody(op: Operation, valid: unknown, ctx: Context): Body {
  const { rng } = ctx
  const base = structuredClone(valid)
  const citedTarget = op.bodySchema?.properties?.destination ? rng.pick(CITED_FIELDS) : undefined
  const kinds = [
    'mutated example', 'mutated example', 'drop required', 'extra field', 'raw invalid JSON', 'non-object JSON',
    'deep nesting', 'long string', 'hostile string', 'hostile string', 'invalid UTF-8 bytes', 'oversized',
  ]
  if (takesCitedValues(op)) kinds.push('cited field shape', 'cited field shape', 'cited field shape')
  const kind = op.bodySchema ? rng.pick(kinds) : rng.pick(['raw invalid JSON', 'non-object JSON', 'mutated example'])
  return { kind: `body: ${kind}`, ...hostileBodyOf(kind, op, base, citedTarget, ctx) } // a more precise kind may override
}

function hostileBodyOf(kind: string, op: Operation, base: unknown, citedTarget: CitedField | undefined, ctx: Context): Omit<Body, 'kind'> & { kind?: string } {
  const { rng } = ctx
  switch (kind) {
    case 'mutated example': {
      let body: unknown = base ?? {}
      const times = 1 + rng.int(3)
      for (let i = 0; i < times; i++) body = mutateOnce(body, rng)
      return { input: `body: ${times} random mutation(s) of a valid body`, payload: json(body) }
    }
    case 'drop required': {
      const required: string[] = op.bodySchema?.required ?? Object.keys(base as object)
      const key = rng.pick(required.length ? required : ['x'])
      delete (base as Record<string, unknown>)[key]
      return { input: `body: without "${key}"`, payload: json(base) }
    }
    case 'extra field':
      return { input: 'body: an extra field', payload: json({ ...(base as object), [rng.pick(['extra', 'id', 'version', 'createdAt'])]: rng.pick(WRONG_VALUES) }) }
    case 'raw invalid JSON': {
      const text = rng.pick(RAW_BAD_JSON)
      return { input: `body: raw ${JSON.stringify(text)}`, payload: text }
    }
    case 'non-object JSON': {
      const text = rng.pick(NON_OBJECT_JSON)
      return { input: `body: ${text} instead of an object`, payload: text }
    }
    case 'deep nesting': {
      // Spliced in as text: JSON.stringify itself would overflow on the deepest of these.
      const depth = rng.pick([64, 1000, 20000])
      const open = rng.chance(0.5) ? '[' : '{"a":'
      const nested = open.repeat(depth) + (open === '[' ? ']' : '}').repeat(depth)
      return { input: `body: a value nested ${depth} deep`, payload: json(replaceRandomString(base, rng, () => '\u0001DEEP')).replace('"\\u0001DEEP"', nested) }
    }
    case 'long string': {
      const length = rng.pick([1001, 5001, 100_000, 1_500_000])
      return { input: `body: a string of ${length} characters`, payload: json(replaceRandomString(base, rng, () => 'é'.repeat(length))) }
    }
    case 'hostile string': {
      const bad = rng.pick(HOSTILE_STRINGS)
      if (isObject(base) && rng.chance(0.2)) return { input: `body: a key ${JSON.stringify(bad)}`, payload: json({ ...base, [bad]: 'x' }) }
      const body = replaceRandomString(base, rng, (old) => (rng.chance(0.5) ? bad : old + bad))
      return { input: `body: a string with ${JSON.stringify(bad)}`, payload: json(body) }
    }
    case 'invalid UTF-8 bytes': {
      // Bytes no UTF-8 decoder accepts: an encoded surrogate (CESU-8), a truncated sequence, a stray continuation byte.
      const bytes = rng.pick([Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc3]), Buffer.from([0x80]), Buffer.from([0xff, 0xfe])])
      const [before, after] = json(replaceRandomString(base, rng, () => '\u0001BYTES')).split('\\u0001BYTES')
      return { input: `body: invalid UTF-8 bytes ${bytes.toString('hex')} in a string`, payload: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after ?? '')]) }
    }
    case 'oversized':
      return { input: 'body: just over the body limit', payload: json({ ...(base as object), padding: 'x'.repeat(BODY_LIMIT) }) }
    default: {
      const field = citedTarget ?? ctx.field ?? 'name'
      const [shape, value] = rng.pick(citedFieldShapes(field, rng.pick(ctx.citations)))
      return { kind: `body: cited field shape ${shape}`, input: `body: ${field} ${shape}`, payload: json(withCitedField(op, base, field, value)) }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The checks on every answer

interface Answer {
  statusCode: number
  headers: Record<string, unknown>
  body: string
}

function problemsWith(res: Answer): string[] {
  const problems: string[] = []
  const status = res.statusCode
  if (status >= 500 && !(status === 503 && res.headers['retry-after'])) problems.push(`answered ${status}`)
  if (/(\n|\\n) {4}at \S/.test(res.body)) problems.push('the body has a stack trace')
  if (status >= 400 && status < 500) {
    const shape: string[] = []
    const type = String(res.headers['content-type'] ?? '')
    if (!type.startsWith('application/problem+json')) shape.push(`content-type ${type || 'none'}`)
    let body: Record<string, unknown> | undefined
    try {
      body = JSON.parse(res.body)
    } catch {
      shape.push('a body that is not JSON')
    }
    if (body) {
      const missing = ['type', 'title', 'detail'].filter((key) => typeof body![key] !== 'string')
      if (missing.length) shape.push(`no ${missing.join(', ')}`)
      if (body.status !== status) shape.push(`status ${JSON.stringify(body.status)}`)
    }
    if (shape.length) problems.push(`a ${status} that is not a problem+json (${shape.join('; ')})`)
  }
  return problems
}

// ---------------------------------------------------------------------------------------------------
// Raw HTTP, for what no HTTP client library sends: header bytes that Node's parser itself refuses
// (those answers are written before Fastify routes anything, so app.inject never sees them).

/** Header lines that are malformed at the HTTP level: control bytes, no colon, folding, oversize, conflicts. */
const RAW_HEADER_LINES = [
  'If-Match: "a\x00b"', 'If-Match: "\x01"', 'Authorization: Bearer \x7f\x00', 'If-None-Match: "a"\x0b', 'If Match: "a"',
  'Garbage-Without-Colon', ' If-Match: "leading-space"', 'If-Match: "a"\r\n "folded"', `X-Huge: ${'a'.repeat(20_000)}`,
  'Content-Length: abc', 'Content-Length: 1\r\nContent-Length: 2', 'Transfer-Encoding: chunked, identity',
]

function sendRaw(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes)) // Connection: close, so the server ends it
    const chunks: Buffer[] = []
    const done = () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const [statusLine, ...lines] = text.slice(0, split < 0 ? text.length : split).split('\r\n')
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
      let body = split < 0 ? '' : text.slice(split + 4)
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = body.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '') // good enough to look inside
      resolve({ statusCode: Number(statusLine.split(' ')[1]) || 0, headers, body })
    }
    const timer = setTimeout(() => socket.destroy(), 5000) // no answer at all is reported as status 0
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {}) // a reset after the answer is a close too
    socket.on('close', done)
  })
}

function rawBytes(request: Request): Buffer {
  const body = request.payload === undefined ? Buffer.alloc(0) : Buffer.from(request.payload)
  const lines = [`${request.method} ${request.url} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`)
  lines.push(...(request.rawHeaderLines ?? []))
  if (!/content-length|transfer-encoding/i.test(lines.join('\n'))) lines.push(`Content-Length: ${body.length}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body])
}

// ---------------------------------------------------------------------------------------------------
// The run

const ROLES = ['anonymous', 'volunteer', 'editor', 'admin', 'revoked'] as const
type Role = (typeof ROLES)[number]

interface Request {
  method: string
  url: string
  headers: Record<string, string>
  rawHeaderLines?: string[] // sent over a socket, byte for byte
  payload?: string | Buffer
  kind: string // what was made hostile, without the details: failures are grouped by it
  input: string
}

/** What a case insists on instead of drawing it: the field of the path, and the body. */
interface Pin {
  field?: CitedField
  body?: (valid: unknown) => Body
}

interface Failure {
  operation: string
  role: Role | 'any'
  kind: string
  input: string
  problem: string
  request: string
  status: number
  body: string
  caseId: string
}

t.test(`openapi fuzz (FUZZ_SEED=${FUZZ_SEED}, ${FUZZ_CASES} cases per operation and role)`, async (t) => {
  const started = Date.now()
  const { app, database, keys } = await buildTestApp(t, { authFailuresPer15Minutes: 1e9 })
  await app.listen({ host: '127.0.0.1', port: 0 }) // for the raw HTTP cases; the helper's teardown closes it
  const port = (app.server.address() as AddressInfo).port
  const keyService = new KeysService(database)
  const revoked = await keyService.create('Rex Revoked', 'editor', 'fuzz')
  await keyService.revoke(revoked.id)
  const bearer: Record<Role, string | undefined> = { anonymous: undefined, ...keys, revoked: revoked.key }
  const roleKeyIds: string[] = []
  for (const key of Object.values(keys)) roleKeyIds.push((await database.get<{ id: string }>('SELECT id FROM api_keys WHERE key_hash = ?', [hashKey(key)]))!.id)
  const citations = exampleCitations()
  const cursors: string[] = []
  const operations = loadOperations()
  t.ok(operations.length >= 25, `openapi.yaml has ${operations.length} operations`)

  const redact = (text: string) => Object.entries(bearer).reduce((s, [role, key]) => (key ? s.split(key).join(`<${role} key>`) : s), text)
  // Rows in the order they were inserted (SQLite's rowid, PostgreSQL's physical order): the run is repeatable.
  const insertion = database.dialect === 'sqlite' ? 'rowid' : 'ctid'
  const ids = async (sql: string, params: unknown[] = []) => (await database.all<{ id: string }>(sql, params)).map((row) => row.id)

  /** Real ids for a path: those of its collection (never the keys this run authenticates with). */
  async function realIds(route: string, live = false): Promise<string[]> {
    const collection = /^\/v1\/(\w+)\//.exec(route)?.[1]
    if (collection === 'prisoners' && live) return ids(`SELECT id FROM prisoners WHERE deleted_at IS NULL AND review_status = 'published' ORDER BY ${insertion}`)
    if (collection === 'keys') return ids(`SELECT id FROM api_keys WHERE id NOT IN (${roleKeyIds.map(() => '?').join()}) ORDER BY ${insertion}`, roleKeyIds)
    if (collection === 'prisoners') return [SEED.tsikhanouski, SEED.karnei, ...(await ids(`SELECT id FROM prisoners ORDER BY ${insertion}`))]
    if (collection === 'sources') return [SEED.articleA, SEED.articleB, SEED.rbc, ...(await ids(`SELECT id FROM sources ORDER BY ${insertion}`))]
    if (collection === 'citations' || collection === 'proposals') return ids(`SELECT id FROM ${collection} ORDER BY ${insertion} LIMIT 50`)
    return []
  }

  async function send(request: Request): Promise<Answer> {
    if (request.rawHeaderLines) return sendRaw(port, rawBytes(request))
    const res = await app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, payload: request.payload })
    if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json')) {
      const next = /"next":"([A-Za-z0-9_-]+)"/.exec(res.body)?.[1] // cursors to page with, later
      if (next && cursors.length < 50) cursors.push(next)
    }
    return res
  }

  async function currentEtag(prisonerId: string): Promise<string | undefined> {
    const res = await send({ method: 'GET', url: `/v1/prisoners/${prisonerId}`, headers: { authorization: `Bearer ${keys.editor}` }, kind: '', input: '' })
    return res.headers.etag as string | undefined
  }

  /** A request that could succeed, then one part of it made hostile (or the part the pin insists on). */
  async function buildRequest(op: Operation, role: Role, rng: Rng, pin: Pin = {}): Promise<Request> {
    const pathParams: Record<string, string> = {}
    const ctx: Context = { rng, claimIds: [], cursors, citations }
    for (const p of op.parameters.filter((p) => p.in === 'path')) {
      const real = p.name === 'id' ? await realIds(op.path, !!pin.body) : p.name === 'slug' ? ['malformed-json', 'uncited-value', 'not-found'] : (p.schema.enum ?? [])
      pathParams[p.name] = real.length ? rng.pick(real) : randomUuid(rng) // the path axis below makes them hostile
    }
    if (pin.field && pathParams.field) pathParams.field = pin.field
    ctx.field = CITED_FIELDS.find((f) => f === pathParams.field)
    ctx.claimIds = await ids(`SELECT id FROM claims WHERE prisoner_id = ? AND field = ? ORDER BY ${insertion}`, [pathParams.id, pathParams.field ?? ''])
    const query = op.parameters
      .filter((p) => p.in === 'query' && (p.required || rng.chance(0.3)))
      .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema, ctx, p.name)))}`)
    const headers: Record<string, string> = {}
    if (bearer[role]) headers.authorization = `Bearer ${bearer[role]}`
    const conditional = op.parameters.some((p) => p.name === 'if-match')
    if (conditional && pathParams.id) {
      const etag = await currentEtag(pathParams.id)
      if (etag) headers['if-match'] = etag
    }
    const validBody = op.bodySchema && fitToPath(op.bodyExample && (pin.body || rng.chance(0.5)) ? structuredClone(op.bodyExample) : sample(op.bodySchema, ctx), ctx)
    let payload: string | Buffer | undefined = validBody === undefined ? undefined : json(validBody)
    if (payload !== undefined) headers['content-type'] = 'application/json'
    let rawHeaderLines: string[] | undefined
    let input = 'a valid-looking request'
    let kind = input

    const axes = op.bodySchema
      ? ['valid', 'path', 'query', 'headers', 'content type', 'body', 'body', 'body', 'body', 'body']
      : ['valid', 'path', 'path', 'query', 'query', 'query', 'headers', 'headers', 'body']
    const axis = pin.body ? 'body' : rng.pick(axes.filter((a) => a !== 'path' || Object.keys(pathParams).length))
    if (axis === 'path') {
      const name = rng.pick(Object.keys(pathParams))
      pathParams[name] = rng.pick([pathParams[name].toUpperCase(), randomUuid(rng), rng.pick(HOSTILE_PARAMS), rng.pick(HOSTILE_PARAMS)])
      input = `path: ${name}=${pathParams[name].slice(0, 60)}`
      kind = `path: ${name}`
    } else if (axis === 'query') {
      const declared = op.parameters.filter((p) => p.in === 'query').map((p) => p.name)
      const name = declared.length && rng.chance(0.75) ? rng.pick(declared) : rng.pick(['unknown', '__proto__', 'constructor', 'limit[]', 'a[b]', ''])
      const value = rng.chance(0.8) ? rng.pick(HOSTILE_PARAMS) : `1&${name}=2` // repeated: an array
      query.push(`${name}=${value}`)
      input = `query: ${name}=${value.slice(0, 60)}`
      kind = `query: ${declared.includes(name) ? name : 'unknown parameter'}`
    } else if (axis === 'headers' && rng.chance(0.25)) {
      rawHeaderLines = [rng.pick(RAW_HEADER_LINES)]
      input = `raw header line ${JSON.stringify(rawHeaderLines[0].slice(0, 60))}`
      kind = 'raw header line (HTTP parser)'
    } else if (axis === 'headers') {
      const [header, value] = hostileHeader(op, role, headers, rng)
      if (value === undefined) delete headers[header]
      else headers[header] = value
      input = `header: ${header}: ${redact(String(value)).slice(0, 60)}`
      kind = `header: ${header}`
    } else if (axis === 'content type') {
      const type = rng.pick(CONTENT_TYPES)
      if (type === 'application/x-www-form-urlencoded') payload = 'sourceId=x&name=Ihar&nameQuote=%ED%A0%80&comment'
      if (type === '' && rng.chance(0.5)) delete headers['content-type']
      else headers['content-type'] = type
      input = `content-type: ${JSON.stringify(headers['content-type'] ?? null)}`
      kind = 'content-type'
    } else if (axis === 'body') {
      const body = pin.body ? pin.body(validBody ?? {}) : hostileBody(op, validBody ?? {}, ctx)
      payload = body.payload
      headers['content-type'] = 'application/json'
      input = body.input
      kind = body.kind
    }
    const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => pathParams[name]) + (query.length ? `?${query.join('&')}` : '')
    return { method: op.method, url, headers, rawHeaderLines, payload, kind, input }
  }

  function hostileHeader(op: Operation, role: Role, headers: Record<string, string>, rng: Rng): [string, string | undefined] {
    const etag = headers['if-match'] ?? '"stale"'
    const key = bearer[role] ?? keys.volunteer
    const choices: Array<[string, string | undefined]> = [
      ['authorization', 'Bearer'], ['authorization', 'Bearer '], ['authorization', 'Basic Zm9vOmJhcg=='],
      ['authorization', `Bearer ppr_${'A'.repeat(43)}`], ['authorization', `Bearer ${'x'.repeat(8000)}`],
      ['authorization', `bearer   ${key}`], ['authorization', `Bearer ${key} trailing`], ['authorization', `Bearer ${key}, Bearer ${key}`],
      ['authorization', 'Token abc'], ['authorization', ''], ['accept', 'application/xml'], ['accept', 'text/csv;q=0.1, */*;q=0'],
    ]
    if (op.method === 'GET') {
      choices.push(['if-none-match', '*'], ['if-none-match', etag], ['if-none-match', `W/${etag}`], ['if-none-match', 'garbage'], ['if-none-match', `"a", ${etag}`])
    } else {
      choices.push(
        ['if-match', undefined], ['if-match', '*'], ['if-match', `W/${etag}`], ['if-match', etag.replace(/"/g, '')], ['if-match', 'garbage'],
        ['if-match', ''], ['if-match', ','], ['if-match', `"a", ${etag}`], ['if-match', `"${'x'.repeat(5000)}"`], ['if-match', '"\u00ff\u00fe"'],
      )
    }
    return rng.pick(choices)
  }

  /**
   * The inputs named in the brief of this test, sent every run rather than when the dice allow: every shape
   * of every cited field, and a lone surrogate in each string of each example, by the two roles whose
   * writes take different paths (an editor's are published, a volunteer's become proposals).
   */
  function pinnedCases(op: Operation): Pin[] {
    const pins: Pin[] = []
    if (takesCitedValues(op)) {
      for (const field of CITED_FIELDS) {
        for (const [shape, value] of citedFieldShapes(field, citations[0])) {
          pins.push({ field, body: (valid) => ({ kind: `body: cited field shape ${shape}`, input: `body: ${field} ${shape}`, payload: json(withCitedField(op, valid, field, value)) }) })
        }
      }
    }
    if (op.bodySchema) {
      const example = op.bodyExample ?? sample(op.bodySchema, { rng: rngFrom(FUZZ_SEED, op.label), claimIds: [], cursors, citations })
      for (const at of allPaths(example).filter((at) => typeof getAt(example, at) === 'string')) {
        // Into the body as fitted to the path (a real claimId), so that the string gets as far as storage.
        const poison = (valid: unknown) => setAt(structuredClone(isObject(getAt(valid, at.slice(0, -1))) ? valid : example), at, 'Ihar \udc00Karnei')
        pins.push({ field: 'name', body: (valid) => ({ kind: 'body: lone surrogate in a string', input: `body: lone surrogate at /${at.join('/')}`, payload: json(poison(valid)) }) })
      }
    }
    return pins
  }

  // Preconditions: the seed itself passes the final checks, so a failure there is the run's doing.
  const stored = new Set((await storedDataProblems(database)).map(storedId))
  t.same([...stored], [], 'the seeded database passes the stored-data checks before the run')

  const failures: Failure[] = []
  let requests = 0
  async function run(op: Operation, role: Role, caseId: string, pin?: Pin) {
    const request = await buildRequest(op, role, rngFrom(FUZZ_SEED, caseId), pin)
    const res = await send(request)
    requests++
    const problems = problemsWith(res)
    // A write that was taken is checked at once for what it stored, so that a bad value is traced to its request.
    let storedWhere = ''
    if (res.statusCode < 300 && op.method !== 'GET') {
      const fresh = (await storedDataProblems(database)).filter((p) => !stored.has(storedId(p)))
      fresh.forEach((p) => stored.add(storedId(p)))
      // A request with a valid body that stores a bad value rewrote one stored before (a revision's diff, a ranked claim).
      const carried = request.kind.startsWith('body:') ? '' : ' (carried over: this request sent a valid body)'
      for (const what of new Set(fresh.map((p) => p.what))) problems.push(`stored ${what}${carried}`)
      storedWhere = [...new Set(fresh.map((p) => p.where))].join(', ')
    }
    for (const problem of problems) {
      const text = typeof request.payload === 'string' ? request.payload : request.payload?.toString('latin1')
      const glimpse = text && text.length > 700 ? `${text.slice(0, 300)} … ${text.slice(-300)}` : text // the hostile part is often at the end
      const shown = `${request.rawHeaderLines ? ` raw ${JSON.stringify(request.rawHeaderLines.join('\r\n').slice(0, 100))}` : ''}${glimpse === undefined ? '' : ` body ${JSON.stringify(glimpse)}`}`
      failures.push({
        operation: request.rawHeaderLines ? 'every path' : op.label, role, kind: request.kind, problem, status: res.statusCode, caseId,
        input: problem.startsWith('stored') ? `${request.input} -> ${storedWhere}` : request.input,
        request: redact(`${request.method} ${request.url.slice(0, 300)} headers ${JSON.stringify(request.headers)}${shown}`),
        body: res.body.slice(0, 300),
      })
    }
  }

  for (const op of operations) {
    for (const role of ROLES) {
      for (let i = 0; i < FUZZ_CASES; i++) await run(op, role, `${op.label} | ${role} | ${i}`)
    }
    const pins = pinnedCases(op)
    for (const role of ['volunteer', 'editor'] as const) {
      for (const [i, pin] of pins.entries()) await run(op, role, `${op.label} | ${role} | pinned ${i}`, pin)
    }
  }
  const fuzzSeconds = (Date.now() - started) / 1000

  // Wrong methods on paths that exist: 405 with Allow (RFC 9110 15.5.6), not 404.
  for (const route of Object.keys(spec.paths)) {
    const url = route.replace('{id}', SEED.karnei).replace('{field}', 'name').replace('{slug}', 'not-found')
    const declared = METHODS.filter((m) => spec.paths[route][m]).map((m) => m.toUpperCase())
    for (const method of METHODS.map((m) => m.toUpperCase()).filter((m) => !declared.includes(m))) {
      const res = await send({ method, url, headers: { authorization: `Bearer ${keys.admin}` }, kind: '', input: '' })
      requests++
      const problems = problemsWith(res)
      if (res.statusCode !== 405) problems.push(`a wrong method answered ${res.statusCode}, not 405`)
      else if (!res.headers.allow) problems.push('a 405 without an Allow header')
      for (const problem of problems) {
        failures.push({ operation: 'every path', role: 'any', kind: 'a method the path does not have', input: `${method} ${route}`, problem, status: res.statusCode, caseId: '-', request: `${method} ${url}`, body: res.body.slice(0, 300) })
      }
    }
  }

  // One assertion per distinct defect: the same problem of the same operation and kind of input.
  const groups = new Map<string, Failure[]>()
  for (const f of failures) {
    const key = `${f.operation} | ${f.kind} | ${f.problem}`
    groups.set(key, [...(groups.get(key) ?? []), f])
  }
  for (const [key, group] of groups) {
    const first = group[0]
    t.fail(key, {
      seed: FUZZ_SEED, occurrences: group.length, roles: [...new Set(group.map((f) => f.role))].join(', '),
      inputs: [...new Set(group.map((f) => f.input))].slice(0, 12), case: first.caseId, request: first.request, status: first.status, response: first.body,
    })
  }
  t.equal(failures.length, 0, `${requests} requests, ${failures.length} bad answers in ${groups.size} groups (FUZZ_SEED=${FUZZ_SEED})`)

  // Nothing malformed was stored, the file is sound, and every stored citation still checks out.
  t.same((await storedDataProblems(database)).map((p) => `${storedId(p)} ${p.glimpse}`), [], 'no malformed value was stored')
  if (database.dialect === 'sqlite') t.same(await database.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }], 'PRAGMA integrity_check is ok')
  const verify = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: { authorization: `Bearer ${keys.editor}` } })
  t.equal(verify.statusCode, 200, 'GET /v1/audit/verify answers')
  t.equal(verify.json().ok, true, 'the audit finds every citation and archive intact', { failures: verify.json().failures })
  t.comment(`fuzz: ${requests} requests in ${fuzzSeconds.toFixed(1)} s, ${((Date.now() - started) / 1000).toFixed(1)} s with the checks`)
})

// ---------------------------------------------------------------------------------------------------
// Stored data

const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Strings (keys included) of a parsed JSON value that are not well-formed Unicode. */
function malformedStrings(value: unknown): string[] {
  if (typeof value === 'string') return wellFormed(value) ? [] : [value]
  if (Array.isArray(value)) return value.flatMap(malformedStrings)
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => [...malformedStrings(k), ...malformedStrings(v)])
  return []
}

/** A value of `destination` or `sentence`: null, or one object (never an array, never a string). */
const objectOrNull = (v: unknown) => v === null || isObject(v)

/** One malformed stored value: what is wrong (failures are grouped by it), where, and a glimpse of it. */
interface StoredProblem {
  what: string
  where: string // table.column
  row: string
  glimpse: string
}
const storedId = (p: StoredProblem) => `${p.where} row ${p.row}: ${p.what}`
const UNICODE = 'text that is not well-formed Unicode (a lone surrogate)'

async function storedDataProblems(database: Database): Promise<StoredProblem[]> {
  const problems: StoredProblem[] = []
  const add = (what: string, where: string, row: unknown, value: unknown) =>
    problems.push({ what, where, row: String(row), glimpse: JSON.stringify(value)?.slice(0, 80) ?? 'undefined' })
  // Every text column. PostgreSQL stores only valid UTF-8 (a lone surrogate reaches it as U+FFFD), so the bytes are
  // looked at on SQLite only; the JSON columns' escapes on both.
  const sqlite = database.dialect === 'sqlite'
  const columns: { table: string; column: string }[] = []
  if (sqlite) {
    for (const { name: table } of await database.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
      for (const { name: column } of (await database.all<{ name: string; type: string }>(`PRAGMA table_info("${table}")`)).filter((c) => /CHAR|TEXT|CLOB/i.test(c.type))) {
        columns.push({ table, column })
      }
    }
  } else {
    columns.push(
      ...(await database.all<{ table: string; column: string }>(
        `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
         WHERE table_schema = current_schema() AND data_type IN ('character varying', 'text')`,
      )),
    )
  }
  for (const { table, column } of columns) {
    {
      const where = `${table}.${column}`
      const rows = sqlite
        ? await database.all<{ r: number; v: unknown; b: Buffer | null }>(`SELECT rowid AS r, "${column}" AS v, CAST("${column}" AS BLOB) AS b FROM "${table}" WHERE "${column}" IS NOT NULL`)
        : (await database.all<{ v: unknown }>(`SELECT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL`)).map((row, r) => ({ ...row, r, b: null }))
      for (const { r, v, b } of rows) {
        try {
          // better-sqlite3 writes a lone surrogate as its 3 CESU-8 bytes, and reads them back as U+FFFD:
          // isWellFormed() on the read string cannot see it, the stored bytes can.
          if (b) strictUtf8.decode(b)
        } catch {
          add(UNICODE, where, r, v)
          continue
        }
        if (typeof v !== 'string') continue
        if (!wellFormed(v)) add(UNICODE, where, r, v)
        // JSON columns keep lone surrogates as \ud800 escapes, well-formed as text: look inside them too.
        else if (/^[[{"]/.test(v)) {
          try {
            if (malformedStrings(JSON.parse(v)).length) add(UNICODE, where, r, v)
          } catch {
            // not JSON: a plain text that happens to start with a bracket or a quote
          }
        }
      }
    }
  }
  for (const { id, document } of (await database.all<{ id: string; document: string }>('SELECT id, document FROM prisoners'))) {
    let record: Record<string, { value?: unknown; alternatives?: Array<{ value?: unknown }> }>
    try {
      record = JSON.parse(document)
    } catch {
      add('a record that is not JSON', 'prisoners.document', id, document)
      continue
    }
    for (const field of ['destination', 'sentence']) {
      const cited = record[field]
      if (!cited) continue
      if (!('value' in cited) || !objectOrNull(cited.value)) add(`a ${field} value that is not null or an object`, 'prisoners.document', id, cited)
      for (const alt of Array.isArray(cited.alternatives) ? cited.alternatives : []) {
        if (!isObject(alt) || !isObject(alt.value)) add(`an alternative ${field} value that is not an object`, 'prisoners.document', id, alt)
      }
    }
  }
  for (const { id, field, value } of (await database.all<{ id: string; field: string; value: string }>(
    "SELECT id, field, value FROM claims WHERE field IN ('destination', 'sentence')",
  ))) {
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      parsed = value
    }
    if (!isObject(parsed)) add(`a ${field} claim whose value is not an object`, 'claims.value', id, value)
  }
  return problems
}
