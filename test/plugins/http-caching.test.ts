import t from 'tap'
import { etagMatches, matchesStrongly, matchesWeakly } from '../../src/shared/etag'
import { buildTestApp, SEED } from '../helpers/test-app'

t.test('If-None-Match uses the weak comparison: a weakened ETag gets 304 (RFC 9110 §13.1.2)', async (t) => {
  const { http } = await buildTestApp(t)
  for (const path of [`/v1/prisoners/${SEED.karnei}`, '/v1/sources']) {
    const { headers } = await http.get(path)
    const etag = headers.etag as string
    t.match(etag, /^"[^"]+"$/, `${path}: a strong ETag`)
    t.equal((await http.get(path).set('if-none-match', `W/${etag}`)).status, 304, `${path}: W/ form of the ETag`)
    t.equal((await http.get(path).set('if-none-match', etag)).status, 304, `${path}: the ETag itself`)
    t.equal((await http.get(path).set('if-none-match', `"other", W/${etag}`)).status, 304, `${path}: in a list`)
    t.equal((await http.get(path).set('if-none-match', '*')).status, 304, `${path}: *`)
    const changed = await http.get(path).set('if-none-match', 'W/"other"')
    t.equal(changed.status, 200, `${path}: another tag gets the body`)
  }
})

t.test('If-Match keeps the strong comparison: a weak tag never matches (RFC 9110 §13.1.1)', async (t) => {
  const { editor } = await buildTestApp(t)
  const { etag } = (await editor.get(`/v1/prisoners/${SEED.karnei}`)).headers
  const weak = await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', `W/${etag}`)
  t.equal(weak.status, 412, 'W/ form of the current ETag')
  t.equal(weak.body.type, '/problems/precondition-failed')
  t.equal((await editor.delete(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag as string)).status, 204, 'the ETag itself')
})

t.test('the two comparisons, member by member', async (t) => {
  const tag = '"abc"'
  const cases: [string | undefined, boolean, boolean][] = [
    // header, strong (If-Match), weak (If-None-Match)
    ['"abc"', true, true],
    ['W/"abc"', false, true],
    [' "x" , "abc" ', true, true],
    ['"x", W/"abc"', false, true],
    ['*', true, true],
    ['"abcd"', false, false],
    ['"abc"junk', false, false],
    ['abc', false, false],
    ['', false, false],
    [undefined, false, false],
  ]
  for (const [header, strong, weak] of cases) {
    t.equal(matchesStrongly(header, tag), strong, `If-Match: ${header}`)
    t.equal(etagMatches(header, tag), strong, `etagMatches is the strong one: ${header}`)
    t.equal(matchesWeakly(header, tag), weak, `If-None-Match: ${header}`)
  }
  t.ok(matchesStrongly('"a,b"', '"a,b"'), 'a comma inside a quoted tag')
  t.notOk(matchesStrongly('"abc"', 'W/"abc"'), 'a weak ETag never matches strongly')
  t.ok(matchesWeakly('"abc"', 'W/"abc"'))
})
