import t from 'tap'
import { matchesWeakly, readIfMatch } from '../../src/shared/etag'
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

t.test('If-None-Match, member by member: W/"x" is the same tag as "x"', async (t) => {
  const tag = '"abc"'
  const cases: [string | undefined, boolean][] = [
    ['"abc"', true],
    ['W/"abc"', true],
    [' "x" , "abc" ', true],
    ['"x", W/"abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['"abc"junk', false],
    ['abc', false],
    ['', false],
    [undefined, false],
  ]
  for (const [header, matches] of cases) t.equal(matchesWeakly(header, tag), matches, `If-None-Match: ${header}`)
  t.ok(matchesWeakly('"a,b"', '"a,b"'), 'a comma inside a quoted tag')
  t.ok(matchesWeakly('"abc"', 'W/"abc"'))
})

t.test('If-Match as people send it: with or without quotes, JSON-escaped; any entity-tag is a tag; anything else is malformed, not stale', async (t) => {
  const opaque = 'A'.repeat(27)
  const tag = `"${opaque}"`
  for (const sent of [tag, opaque, `\\"${opaque}\\"`, `"\\"${opaque}\\""`, ` ${tag} `, `"x${'B'.repeat(26)}", ${opaque}`]) {
    t.same(readIfMatch(sent), { tags: sent.includes(',') ? [`"x${'B'.repeat(26)}"`, tag] : [tag], weak: false }, `If-Match: ${sent}`)
  }
  t.same(readIfMatch(`W/${tag}`), { tags: [], weak: true }, 'a weak tag is read, and never matches')
  for (const sent of ['"abc"', '"stale-etag"', `"${opaque}x"`, '""']) t.same(readIfMatch(sent), { tags: [sent], weak: false }, `a tag, only not ours: ${sent}`)
  t.same(readIfMatch('W/"abc"'), { tags: [], weak: true }, 'a weak tag of any shape')
  for (const sent of ['etag', `${opaque}, nonsense`, '"a b"', '"abc', 'W/abc']) t.ok('malformed' in readIfMatch(sent), `malformed: ${sent}`)
})
