import t from 'tap'
import { plainToInstance } from 'class-transformer'
import { getMetadataStorage, validateSync } from 'class-validator'
import { VALIDATION_OPTIONS } from '../../src/shared/dto'
import { dtoCheck } from '../../src/shared/dto-check'
import { PrisonerWriteDto } from '../../src/modules/prisoners/prisoners.dto'
import { SEED, buildTestApp } from '../helpers/test-app'

/**
 * The compiled check (src/shared/dto-check.ts) decides alone whether a flat DTO's input is accepted: it must say
 * yes exactly where class-transformer and class-validator would, for every DTO of the app, and hand the route the
 * same instance.
 */

type Dto = new () => object

/** Every class with class-validator rules, once the app's modules are loaded (importing the app loads them all). */
async function allDtos(): Promise<Dto[]> {
  await import('../../src/app')
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Dto, unknown> }
  return [...storage.validationMetadatas.keys()]
}

const VALUES: unknown[] = [
  ...['', 'a', 'BY', 'by', 'ZZ', 'released', 'detained', 'Released', '2025', '2025-06', '2025-13', '2025-06-21', '2025-02-30'],
  ...[SEED.release, '00000000-0000-0000-0000-000000000001', 'not-a-uuid', '50', '0', '201', '1e2', '-1', 'true', 'false'],
  ...['name', '-name', 'releaseDate', 'x'.repeat(201), 'x'.repeat(2001), 'Сяргей Ціханоўскі', 'AbC_-09', 'a b', ' ', '\u00e9'],
  ...[5, 0, -1, 1.5, true, false, null, ['a', 'b'], { a: 1 }],
]

/** A small deterministic generator, so that a failure names an input that comes back on the next run. */
function random(seed: number) {
  return (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return (seed >>> 8) % n
  }
}

t.test('for every DTO, the compiled check accepts exactly what class-validator accepts, with the same instance', async (t) => {
  const dtos = await allDtos()
  t.ok(dtos.length > 20, `the app's DTOs are found (${dtos.length})`)
  const pick = random(42)
  let compiled = 0
  for (const dto of dtos) {
    const check = dtoCheck(dto)
    if (!check) continue
    compiled++
    const properties = [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false, undefined).map((m) => m.propertyName))]
    let accepted = 0
    let disagreements = 0
    for (let i = 0; i < 1500; i++) {
      const data: Record<string, unknown> = {}
      for (let n = pick(4); n > 0; n--) data[properties[pick(properties.length)]] = VALUES[pick(VALUES.length)]
      if (pick(20) === 0) data[pick(2) ? 'unknown' : 'constructor'] = 'x'
      const reference = plainToInstance(dto, data)
      const valid = validateSync(reference, VALIDATION_OPTIONS).length === 0
      const copied = check.copy(data)
      if (copied) {
        if (!(copied instanceof dto) || JSON.stringify(copied) !== JSON.stringify(reference)) {
          t.fail(`${dto.name}: copy(${JSON.stringify(data)}) is not class-transformer's instance`)
        }
      }
      const verdict = check.accepts(copied ?? reference)
      if (verdict !== valid) {
        disagreements++
        t.fail(`${dto.name}: ${JSON.stringify(data)} is ${valid ? 'valid' : 'invalid'} for class-validator, the check says ${verdict}`)
      }
      if (verdict) accepted++
    }
    t.equal(disagreements, 0, `${dto.name}: no disagreement in 1,500 inputs (${accepted} accepted)`)
  }
  t.ok(compiled >= 10, `the flat DTOs have a check (${compiled})`)
})

t.test('a DTO with nested rules has no compiled check: class-validator validates it whole', async (t) => {
  t.equal(dtoCheck(PrisonerWriteDto), null)
})

t.test('through the routes, ids and query strings are accepted and refused as before, with the same problems', async (t) => {
  const { http, editor } = await buildTestApp(t)
  for (const id of ['00000000-0000-0000-0000-000000000001', 'not-a-uuid', `${SEED.release} `]) {
    const answer = await http.get(`/v1/events/${encodeURIComponent(id)}`)
    t.match([answer.status, answer.body.errors], [400, [{ path: 'id', message: 'id must be a UUID' }]], `${JSON.stringify(id)} is refused`)
  }
  t.equal((await http.get(`/v1/events/${SEED.release}`)).status, 200)
  const found = await http.get('/v1/prisoners').query({ q: 'Tsikhanouski' })
  t.equal(found.status, 200)
  t.equal(found.body.data[0].name.value, 'Siarhei Tsikhanouski')
  const tooLong = await http.get('/v1/prisoners').query({ q: 'x'.repeat(201) })
  t.match([tooLong.status, tooLong.body.errors], [400, [{ path: 'q', message: 'q must be shorter than or equal to 200 characters' }]])
  const unknown = await http.get('/v1/prisoners').query({ q: 'Tsikhanouski', qq: '1' })
  t.match([unknown.status, unknown.body.errors], [400, [{ path: 'qq', message: 'is not a field of this request; remove it' }]])
  const twice = await http.get('/v1/prisoners?q=a&q=b')
  t.match([twice.status, twice.body.errors], [400, [{ path: 'q' }]])
  const limited = await http.get('/v1/prisoners').query({ q: 'Tsikhanouski', limit: '1' })
  t.equal(limited.body.data.length, 1, 'limit, which class-transformer turns into a number, still works')
  // A flat body that every rule accepts still has its text checked: a lone surrogate is not valid Unicode.
  const lone = await editor.post(`/v1/prisoners/${SEED.karnei}/restore`).send({ comment: 'Text \ud800 end' })
  t.match([lone.status, lone.body.errors], [422, [{ path: '/comment', message: /not valid Unicode/ }]])
  const nul = await http.get('/v1/prisoners').query({ q: 'Kar\u0000nei' })
  t.match([nul.status, nul.body.errors], [400, [{ path: 'q', message: /NUL/ }]])
})
