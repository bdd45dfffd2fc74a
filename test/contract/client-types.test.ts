/**
 * A client generated from the contract: openapi-types.d.ts is what openapi-typescript makes of openapi.yaml
 * (`npm run openapi:types`; the first test fails when it drifts), and the second uses it the way an advocacy
 * site would, through openapi-fetch, with no casts: `npx tsc --noEmit` type-checks this file.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import createClient from 'openapi-fetch'
import t from 'tap'
import { SEED, buildTestApp } from '../helpers/test-app'
import type { components, paths } from './openapi-types'

type Prisoner = components['schemas']['Prisoner']
type Problem = components['schemas']['Problem']

/** Compiles only when A and B are the same type. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(value: Equals<A, B>) => value

// What the generated types say, checked by the compiler: named, required, each value typed.
same<Prisoner['name']['value'], string | null>(true)
same<Prisoner['nationality']['value'], string | null>(true)
same<Prisoner['status']['value'], 'detained' | 'released' | 'deceased' | null>(true)
same<Prisoner['releaseDate']['value'], string | null>(true)
same<NonNullable<Prisoner['destination']['value']>['country'], string>(true)
same<NonNullable<Prisoner['sentence']['value']>['text'], string>(true)
same<Prisoner['name']['citations'][number], components['schemas']['Citation']>(true)
same<Problem['errors'], { path: string; message: string }[] | undefined>(true)

const ROOT = path.join(__dirname, '../..')

t.test('openapi-types.d.ts is what openapi-typescript generates from openapi.yaml (run npm run openapi:types when this fails)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-types-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const out = path.join(dir, 'openapi-types.d.ts')
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.yaml', '-o', out], { cwd: ROOT, stdio: 'pipe' })
  t.equal(readFileSync(path.join(__dirname, 'openapi-types.d.ts'), 'utf8'), readFileSync(out, 'utf8'))
})

t.test('a typed client reads a record as a Prisoner, and a refusal as a Problem', async (t) => {
  const { app } = await buildTestApp(t)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  // JSON and problem answers: a record is also served as JSON-LD (application/ld+json), which a JSON client does not ask for.
  const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: address })

  const { data, error, response } = await client.GET('/v1/prisoners/{id}', { params: { path: { id: SEED.karnei } } })
  t.equal(response.status, 200)
  t.notOk(error)
  if (!data) throw new Error('no record')
  const record: Prisoner = data
  const name: string | null = record.name.value
  t.equal(name, 'Ihar Karnei')
  t.equal(record.name.alternatives[0].value, 'Ihar Karney', 'alternatives are typed like their value')
  // null for a citation of a private source, to everyone but editors: the type says so.
  const quotes: (string | null)[] = record.status.citations.map((citation) => citation.quote)
  t.ok(quotes.length > 0)
  t.equal(record.status.value, 'released')
  t.equal(record.destination.value?.country ?? null, record.destination.value === null ? null : 'LT')
  t.ok(response.headers.get('etag'))

  const list = await client.GET('/v1/prisoners', { params: { query: { limit: 2, sort: 'name' } } })
  t.equal(list.data?.data.length, 2)
  t.type(list.data?.next, 'string')

  const missing = await client.GET('/v1/prisoners/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } })
  const problem: Problem | undefined = missing.error
  t.equal(problem?.status, 404)
  t.equal(problem?.type, '/problems/not-found')
})
