/**
 * The contract is as strict as the server, and read alike by its readers: Swagger UI (a pattern is `new RegExp(p)`,
 * without the `u` flag), Python's `re`, JSON Schema validators. Walks /openapi.json as the app serves it.
 */
import { spawnSync } from 'node:child_process'
import t, { type Test } from 'tap'
import { buildTestApp } from '../helpers/test-app'

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
