import { readFileSync } from 'node:fs'
import { validate } from '@readme/openapi-parser'
import t from 'tap'
import { parse } from 'yaml'
import { OPENAPI_FILE, generateOpenApiYaml } from '../../src/cli/openapi'
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

t.test('the app serves the same document at /openapi.json, and Swagger UI at /docs', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  const served = (await http.get('/openapi.json')).body
  t.same(served, parse(readFileSync(OPENAPI_FILE, 'utf8')))
  const docs = await http.get('/docs/')
  t.equal(docs.status, 200)
  t.match(docs.text, /swagger-ui/i)
})
