/**
 * The contract is as strict as the server, and read alike by its readers: Swagger UI (a pattern is `new RegExp(p)`,
 * without the `u` flag), Python's `re`, JSON Schema validators. Walks /openapi.json as the app serves it.
 */
import { spawnSync } from 'node:child_process'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { isISO31661Alpha2 } from 'class-validator'
import t, { type Test } from 'tap'
import { SEED, buildTestApp } from '../helpers/test-app'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- the parsed document, read keyword by keyword

/** Every object of the document under `value`, with its JSON Pointer. */
function* nodes(value: unknown, pointer = ''): Generator<{ node: Json; pointer: string }> {
  if (!value || typeof value !== 'object') return
  if (!Array.isArray(value)) yield { node: value as Json, pointer }
  for (const [key, child] of Object.entries(value)) yield* nodes(child, `${pointer}/${key}`)
}

async function served(t: Test): Promise<Json> {
  const { http } = await buildTestApp(t, { seed: false })
  return (await http.get('/openapi.json')).body
}

t.test('every pattern of the contract reads the same without the u flag, in Python re, and accepts its examples', async (t) => {
  const document = await served(t)
  const patterns: { pattern: string; pointer: string; examples: unknown[] }[] = []
  for (const { node, pointer } of nodes(document)) {
    if (typeof node.pattern !== 'string') continue
    patterns.push({ pattern: node.pattern, pointer, examples: [node.example, ...(node.examples ?? [])].filter((e) => e !== undefined) })
  }
  // A parameter's example may sit beside its schema rather than in it.
  for (const { node, pointer } of nodes(document.paths)) {
    if (node.in && typeof node.schema?.pattern === 'string' && node.example !== undefined) {
      patterns.push({ pattern: node.schema.pattern, pointer: `${pointer}/schema`, examples: [node.example] })
    }
  }
  t.ok(patterns.length > 10, `${patterns.length} patterns`)
  for (const { pattern, pointer, examples } of patterns) {
    t.notMatch(pattern, /\\[pP]\{/, `${pointer}: no \\p{…} (Swagger UI and Python re cannot read it)`)
    let compiled: RegExp | undefined
    t.doesNotThrow(() => (compiled = new RegExp(pattern)), `${pointer}: new RegExp(${JSON.stringify(pattern)}) without a flag`)
    for (const example of examples) t.ok(compiled?.test(String(example)), `${pointer}: ${JSON.stringify(example)} matches ${pattern}`)
  }
  const python = spawnSync('python3', ['-c', 'import json, re, sys\nfor p in json.load(sys.stdin): re.compile(p)'], {
    input: JSON.stringify(patterns.map((p) => p.pattern)),
    encoding: 'utf8',
  })
  if (python.error) t.comment('python3 not found: Python re not checked')
  else t.equal(python.status, 0, `Python re compiles every pattern ${python.stderr}`)
})

t.test("the passage finder's text, checked as Swagger UI checks it before sending, lets any script through", async (t) => {
  const document = await served(t)
  const text = document.paths['/v1/sources/{id}/passages'].get.parameters.find((p: Json) => p.name === 'text')
  for (const search of ['Vilnius', 'Карней', '21 June 2025', 'Karnei journalist']) {
    const { pattern, minLength, maxLength } = text.schema
    t.ok(pattern === undefined || new RegExp(pattern).test(search), `${search} passes ${pattern}`)
    t.ok(search.length >= minLength && search.length <= maxLength, `${search} has an accepted length`)
  }
  t.match(text.description, /letter or digit/, 'the rule the server checks is said in words')
})

/** The schemas a request body reaches (its own, and each component it refers to), once each. */
function* bodySchemas(document: Json): Generator<{ schema: Json; pointer: string }> {
  const seen = new Set<string>()
  const stack: { value: unknown; pointer: string }[] = []
  for (const [route, item] of Object.entries<Json>(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      for (const [type, content] of Object.entries<Json>(operation.requestBody?.content ?? {})) {
        stack.push({ value: content.schema, pointer: `${method.toUpperCase()} ${route} ${type}` })
      }
    }
  }
  for (let item = stack.pop(); item; item = stack.pop()) {
    for (const { node, pointer } of nodes(item.value, item.pointer)) {
      if (typeof node.$ref === 'string' && !seen.has(node.$ref)) {
        seen.add(node.$ref)
        stack.push({ value: document.components.schemas[node.$ref.split('/').pop()!], pointer: node.$ref })
      }
      if (node.properties && typeof node.properties === 'object' && !pointer.endsWith('/not')) yield { schema: node, pointer }
    }
  }
}

t.test('the contract refuses what the server refuses', async (t) => {
  const { http, keys } = await buildTestApp(t)
  const document: Json = (await http.get('/openapi.json')).body
  const ajv = new Ajv2020({ strict: false })
  addFormats(ajv)
  ajv.addSchema({ ...document, $id: 'doc' })
  const bodyOf = (pointer: string) => ajv.compile({ $ref: `doc#${pointer}` })

  t.test('every object of a request body takes no field it does not declare, as every DTO does', async (t) => {
    let count = 0
    for (const { schema, pointer } of bodySchemas(document)) {
      count++
      t.equal(schema.additionalProperties, false, `${pointer}: additionalProperties false`)
    }
    t.ok(count > 20, `${count} objects`)
    const answer = await http.post('/v1/keys').set('Authorization', `Bearer ${keys.admin}`).send({ name: 'x', role: 'volunteer', colour: 'red' })
    t.match(answer.body.errors, [{ path: '/colour', message: /not a field/ }], `the server refuses an unknown field (${answer.status})`)
  })

  t.test('limit is a whole number', async (t) => {
    const limits = Object.values<Json>(document.paths).flatMap((item) => Object.values<Json>(item).flatMap((op) => (op.parameters ?? []).filter((p: Json) => p.name === 'limit')))
    t.ok(limits.length > 5)
    for (const limit of limits) t.equal(limit.schema.type, 'integer')
    t.equal((await http.get('/v1/prisoners?limit=2.5')).status, 400, 'the server refuses 2.5')
  })

  t.test('a country code is one of the assigned codes the server accepts, declared once', async (t) => {
    const codes: string[] = document.components.schemas.CountryCode.enum
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    const all = [...letters].flatMap((a) => [...letters].map((b) => a + b))
    t.same(codes, all.filter((code) => isISO31661Alpha2(code)), 'the list IsISO31661Alpha2 checks')
    t.notOk(codes.includes('RM'))
    t.ok(codes.includes('NO') && codes.includes('BY'))
    const create = '/paths/~1v1~1prisoners/post/requestBody/content/application~1json/schema'
    const validate = bodyOf(create)
    const example = document.paths['/v1/prisoners'].post.requestBody.content['application/json'].example
    t.ok(validate(example), 'the documented example is valid')
    const wrong = { ...example, destination: { ...example.destination, value: { country: 'RM' } } }
    t.notOk(validate(wrong), 'RM is refused by the contract')
    const answer = await http.post('/v1/prisoners?dryRun=true').set('Authorization', `Bearer ${keys.volunteer}`).send(wrong)
    t.ok(answer.status === 400 || answer.status === 422, `and by the server (${answer.status})`)
    t.match(JSON.stringify(answer.body.errors), /destination\/value\/country/)
    const composition = document.components.schemas.CompositionInput.properties.value
    t.match(JSON.stringify(composition), /CountryCode/, "an event's composition is keyed by country codes")
  })

  t.test('an empty body is refused where the server refuses it', async (t) => {
    for (const [route, method] of [['/v1/prisoners', 'post'], ['/v1/prisoners/{id}', 'patch'], ['/v1/events', 'post'], ['/v1/events/{id}', 'patch']]) {
      const pointer = `/paths/${route.replace(/\//g, '~1')}/${method}/requestBody/content/application~1json/schema`
      t.notOk(bodyOf(pointer)({}), `${method.toUpperCase()} ${route}: {} is not valid`)
    }
    const answer = await http.post('/v1/prisoners?dryRun=true').set('Authorization', `Bearer ${keys.volunteer}`).send({})
    t.ok(answer.status === 400 || answer.status === 422, `the server refuses {} (${answer.status})`)
  })

  t.test("a source's form takes its text pasted or as a file, not both", async (t) => {
    const form = ajv.compile({ $ref: 'doc#/components/schemas/SourceFormDto' })
    const fields = { title: 'T', kind: 'news' }
    t.ok(form({ ...fields, content: 'Text.' }))
    t.ok(form({ ...fields, file: 'article.html' }))
    t.ok(form({ ...fields, content: '', file: 'article.html' }), 'an empty field is not given')
    t.notOk(form({ ...fields, content: 'Text.', file: 'article.html' }))
  })
})

t.test('the contract documents the answers and headers the server sends on every operation', async (t) => {
  const { http } = await buildTestApp(t)
  const document: Json = (await http.get('/openapi.json')).body
  const resolve = (response: Json): Json => (response.$ref ? document.components.responses[response.$ref.split('/').pop()] : response)
  let count = 0
  for (const [route, item] of Object.entries<Json>(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      count++
      const label = `${method.toUpperCase()} ${route}`
      for (const status of ['408', '431', '503']) t.ok(operation.responses[status], `${label} documents ${status}`)
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        const headers = Object.keys(resolve(response).headers ?? {})
        if (status !== '408' && status !== '431') t.ok(headers.includes('X-Request-Id'), `${label} ${status}: X-Request-Id`)
        if (method === 'get' && operation.responses['304'] && (status === '200' || status === '304')) {
          t.same(['ETag', 'Cache-Control', 'Vary'].filter((name) => !headers.includes(name)), [], `${label} ${status}: ETag, Cache-Control, Vary`)
        }
      }
    }
  }
  t.ok(count > 40, `${count} operations`)
  const list = await http.get('/v1/prisoners')
  for (const name of ['x-request-id', 'etag', 'cache-control', 'vary']) t.ok(list.headers[name], `GET /v1/prisoners sends ${name}`)
})

t.test('the examples of the main reads are what the seeded registry answers, and valid', async (t) => {
  const { http } = await buildTestApp(t)
  const document: Json = (await http.get('/openapi.json')).body
  const ajv = new Ajv2020({ strict: false })
  addFormats(ajv)
  ajv.addSchema({ ...document, $id: 'doc' })
  // What differs from one seeded run to the next: the ids of claims and citations (UUIDv7) and the times.
  const stable = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (_key, v) => (typeof v === 'string' && (/^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(v) || /^\d{4}-\d\d-\d\dT/.test(v)) ? '…' : v))
  for (const [route, url] of [['/v1/prisoners/{id}', `/v1/prisoners/${SEED.tsikhanouski}`], ['/v1/prisoners', '/v1/prisoners?q=Tsikhanouski&limit=1']]) {
    const example = document.paths[route].get.responses['200'].content['application/json'].example
    t.ok(example, `GET ${route} has an example`)
    t.same(stable(example), stable((await http.get(url)).body), `GET ${route}: the seeded answer`)
    const schema = document.paths[route].get.responses['200'].content['application/json'].schema.$ref
    t.ok(ajv.validate({ $ref: `doc${schema}` }, example), `GET ${route}: valid ${JSON.stringify(ajv.errors)}`)
  }
})

t.test("every example of a schema is valid against that schema (Spectral's oas3-valid-schema-example)", async (t) => {
  const document = await served(t)
  const ajv = new Ajv2020({ strict: false })
  addFormats(ajv)
  ajv.addSchema({ ...document, $id: 'doc' })
  const wrong: string[] = []
  let checked = 0
  for (const { node, pointer } of nodes(document.components.schemas, '/components/schemas')) {
    // A schema with an example of its own (a property's), not an operation's or a media type's.
    if (node.example === undefined || !('type' in node || 'enum' in node || '$ref' in node)) continue
    const { example, ...schema } = node
    const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'))
    checked++
    if (!ajv.validate(resolved, example)) wrong.push(`${pointer}: ${JSON.stringify(example)} ${ajv.errorsText()}`)
  }
  t.ok(checked > 50, `${checked} examples checked`)
  t.same(wrong, [], 'none outside its own schema (a change form list offers its empty example as a value)')
})

t.test('any query string the contract allows fits the request head the server accepts (no 431 for a valid reason)', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const document: Json = (await http.get('/openapi.json')).body
  // Node refuses a request head over 16 KiB (431). A character the contract counts as one may be 4 bytes of UTF-8,
  // 12 characters of URL as %XX; 2 KiB are left for the request line and a browser's headers.
  const HEAD = 16 * 1024
  const HEADROOM = 2 * 1024
  let count = 0
  for (const [route, item] of Object.entries<Json>(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      for (const parameter of (operation.parameters ?? []).filter((p: Json) => p.in === 'query' && p.schema?.maxLength)) {
        count++
        const worst = parameter.name.length + 2 + parameter.schema.maxLength * 12
        t.ok(worst <= HEAD - HEADROOM, `${method.toUpperCase()} ${route} ?${parameter.name}: at most ${worst} characters of URL`)
      }
    }
  }
  t.ok(count > 0, `${count} query parameters with a length`)

  // The one a volunteer types at length: a DELETE's reason, here 1,000 emoji, the most it allows.
  const id = SEED.karnei
  const etag = (await http.get(`/v1/prisoners/${id}`)).headers.etag
  const tooLong = await editor.delete(`/v1/prisoners/${id}?comment=${encodeURIComponent('🕊'.repeat(1001))}`).set('if-match', etag)
  t.equal(tooLong.status, 400, 'one emoji more than allowed: 400, not 431')
  t.match(tooLong.body.errors, [{ path: 'comment', message: /1000 characters/ }], 'naming the comment and its limit')
  const deleted = await editor.delete(`/v1/prisoners/${id}?comment=${encodeURIComponent('🕊'.repeat(1000))}`).set('if-match', etag)
  t.equal(deleted.status, 204, 'the longest reason allowed is taken')
  const history = await editor.get(`/v1/prisoners/${id}/history`)
  t.ok(history.body.data.some((revision: Json) => revision.action === 'delete' && revision.comment === '🕊'.repeat(1000)), `kept in the history (${history.status})`)
})
