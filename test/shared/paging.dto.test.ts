import t from 'tap'
import { validateDto } from '../../src/shared/dto'
import { IdParams } from '../../src/shared/paging.dto'
import { SEED, buildTestApp } from '../helpers/test-app'

/** `:id` is checked by a fast path (src/shared/dto.ts, acceptFast) before class-validator: both must agree on every id. */

t.test('the fast path and class-validator accept and refuse the same ids, and refusals read the same', async (t) => {
  const { http } = await buildTestApp(t)
  const cases: [string, boolean][] = [
    [SEED.release, true],
    ['00000000-0000-4000-8000-000000000000', true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['00000000-0000-0000-0000-000000000001', false],
    ['00000000-0000-4000-8000-00000000000', false],
    ['not-a-uuid', false],
    [`${SEED.release} `, false],
  ]
  for (const [id, valid] of cases) {
    let classValidator = true
    try {
      validateDto(IdParams, { id }, 'params')
    } catch {
      classValidator = false
    }
    t.equal(classValidator, valid, `class-validator on ${JSON.stringify(id)}`)
    const answer = await http.get(`/v1/events/${encodeURIComponent(id)}`)
    if (valid) t.not(answer.status, 400, `${JSON.stringify(id)} passes the route's check`)
    else t.match([answer.status, answer.body.errors], [400, [{ path: 'id', message: 'id must be a UUID' }]], `${JSON.stringify(id)} is refused as class-validator refuses it`)
  }
})
