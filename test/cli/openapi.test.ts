import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { validate } from '@readme/openapi-parser'
import t from 'tap'
import { parse } from 'yaml'
import { OPENAPI_FILE, YAML_1_1_TAGS, generateOpenApiYaml } from '../../src/cli/openapi'
import { PRISONER_FIELDS } from '../../src/core/document/fields'
import { buildTestApp } from '../helpers/test-app'

t.test('openapi.yaml is what the routes generate (run npm run openapi:write when this fails)', async (t) => {
  t.equal(readFileSync(OPENAPI_FILE, 'utf8'), await generateOpenApiYaml())
})

t.test('the document is valid OpenAPI 3 and documents the contract', async (t) => {
  const document = parse(readFileSync(OPENAPI_FILE, 'utf8'))
  const result = await validate(structuredClone(document))
  t.ok(result.valid, JSON.stringify(result.valid ? [] : result.errors, null, 2))
  t.match(document.openapi, /^3\./)
  for (const path of ['/v1/prisoners', '/v1/prisoners/{id}', '/v1/prisoners/{id}/history', '/v1/sources', '/v1/sources/{id}', '/v1/sources/{id}/content', '/health']) {
    t.ok(document.paths[path], `documents ${path}`)
  }
  const create = document.paths['/v1/prisoners'].post
  t.equal(create.requestBody.content['application/json'].schema.$ref ?? 'inline', 'inline')
  t.ok(create.responses['422'], 'documents the refusal of uncited values')
  t.ok(document.components.schemas.CitationInput, 'the DTOs are components')
})

t.test('openapi.yaml reads as /openapi.json to a YAML 1.1 reader too: NO is Norway, 2025-06-21 a string', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  const served = (await http.get('/openapi.json')).body
  const text = readFileSync(OPENAPI_FILE, 'utf8')
  // With dates read as dates, which tap-yaml turns off in this process (see YAML_1_1_TAGS).
  t.same(parse(text, { version: '1.1', customTags: YAML_1_1_TAGS }), served, 'as PyYAML and other YAML 1.1 readers read it')
  t.same(parse(text, { version: '1.2' }), served, 'as YAML 1.2 readers read it')
})

t.test('the app serves the same document at /openapi.json, and Swagger UI at /docs', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  const served = (await http.get('/openapi.json')).body
  t.same(served, parse(readFileSync(OPENAPI_FILE, 'utf8')))
  const docs = await http.get('/docs/')
  t.equal(docs.status, 200)
  t.match(docs.text, /swagger-ui/i)
})

t.test("the document passes Redocly's recommended rules without an error, and stays small (npm run openapi:lint)", async (t) => {
  const cli = path.join(__dirname, '../../node_modules/@redocly/cli/bin/cli.js')
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
  const run = spawnSync(process.execPath, [cli, 'lint', OPENAPI_FILE, '--extends', 'recommended', '--format', 'json'], { env, encoding: 'utf8' })
  const problems: { severity: string; ruleId: string; message: string }[] = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))).problems
  t.same(problems.filter((p) => p.severity === 'error'), [], 'no errors')
  t.equal(run.status, 0)
  // Named schemas keep it small (it was 391 KB with every shape inlined): a jump here means something is repeated.
  // It grows by about 2 KB per operation (its problems listed), and about 3 KB per cited field (its typed read schema,
  // its write input and alternative): events added 7 operations and 7 such fields (~45 KB, to ~210 KB), then their
  // review, proposals, claims, feed and export 7 operations and 7 schemas (~27 KB, to ~237 KB); webhooks and the
  // embeddable card 7 operations and 3 schemas (~14 KB); the sites' reads (two Atom feeds, JSON-LD answers and
  // exports, fields/lang and lists of filter values) ~12 KB: to ~265 KB; external identifiers (a cited field, its
  // value's schema, two list filters and the form's two fields) ~7 KB: to ~271 KB; redactions (3 operations) and
  // withheldWordsIn ~5 KB, and arrestDate (a cited field, two filters, two form fields, its CSV columns) ~6 KB: to ~283 KB;
  // the strict contract (additionalProperties false on request objects, the CountryCode list) ~5 KB, and the answers
  // every operation may give (408, 431, 503 and X-Request-Id on each response; ETag, Cache-Control, Vary on reads)
  // ~30 KB, each a $ref to one declaration: to ~319 KB; the seeded answers as examples of three reads ~10 KB: to ~330 KB;
  // RateLimit headers on counted writes and 429s, the 501 of unknown methods ~5 KB: to ~335 KB; the form's two lists of
  // countries named ("Belarus (BY)" instead of "BY", 249 each) and the warnings of writes ~9 KB: to ~344 KB; the change
  // form of its own (its fields without examples, a third list of countries), the DryRun answer (with warnings) ~28 KB: to ~372 KB;
  // the history chain's 6 operations and 5 schemas (checkpoints, key, proofs, export) ~15 KB; recognition (a cited
  // field with its value's schema, three filters, a sort, two fields in each form, CSV columns) and the candidates of
  // a statement (two operations, five schemas) ~28 KB; spreadsheet imports (two operations, their schemas) ~10 KB: to ~422 KB.
  t.ok(statSync(OPENAPI_FILE).size < 440_000, `openapi.yaml is ${statSync(OPENAPI_FILE).size} bytes`)
})

t.test('every operation is named, secured as it is, and answers with named schemas', async (t) => {
  const document = parse(readFileSync(OPENAPI_FILE, 'utf8'))
  const operations = Object.entries<Record<string, any>>(document.paths).flatMap(([route, item]) => // eslint-disable-line @typescript-eslint/no-explicit-any
    Object.entries<any>(item).map(([method, op]) => ({ label: `${method.toUpperCase()} ${route}`, method, op })), // eslint-disable-line @typescript-eslint/no-explicit-any
  )
  const ids = operations.map(({ op }) => op.operationId)
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  for (const { label, method, op } of operations) {
    t.match(op.operationId, /^[a-z][A-Za-z]+$/, `${label} has a camelCase operationId`)
    t.ok(Array.isArray(op.security), `${label} declares its security`)
    t.ok(op.responses['401'], `${label} documents 401 (a wrong key is refused everywhere)`)
    if (op.parameters?.length || op.requestBody) t.ok(op.responses['400'], `${label} documents 400`)
    if (method === 'get' && !label.startsWith('GET /v1/export')) t.ok(op.responses['304'], `${label} documents 304`)
    for (const [status, response] of Object.entries<any>(op.responses)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const schema = response.content?.['application/json']?.schema
      // A 200 that is also a dry run's answer is one of two named schemas.
      for (const one of schema?.oneOf ?? (schema ? [schema] : [])) t.match(one.$ref, /^#\/components\/schemas\//, `${label} ${status} is a named schema`)
    }
    if (method !== 'get') t.same(op.security, [{ bearerAuth: [] }], `${label}: writes need a key`)
  }
  const optional = [{}, { bearerAuth: [] }]
  for (const route of ['/v1/prisoners', '/v1/prisoners/{id}', '/v1/prisoners/{id}/history', '/v1/prisoners/{id}/fields/{field}', '/v1/citations/{id}', '/v1/sources/{id}/citations']) {
    t.same(document.paths[route].get.security, optional, `GET ${route}: the key is optional, and changes the answer`)
  }
  t.same(document.servers, [{ url: '/', description: 'This server (the API answers at the origin that serves this document)' }])
  const prisoner = document.components.schemas.Prisoner
  // Every declared field (core/document/record-fields.ts) is required, in the order reads show them.
  t.same(prisoner.required, ['id', 'version', ...PRISONER_FIELDS, 'createdAt', 'updatedAt'])
  t.ok(PRISONER_FIELDS.includes('arrestDate'), 'arrestDate among them')
  t.same(document.components.schemas.NameField.properties.value.type, ['string', 'null'])
  t.same(document.components.schemas.Problem.properties.errors.items.required, ['path', 'message'])
})
