import t from 'tap'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

// docs/design.md §4: If-Match accepts the ETag with or without its quotes; a malformed one is told so, not "changed".

const change = (comment: string) => ({ status: { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] }, comment })

t.test('the ETag is accepted as a person copies it: quoted, bare, or JSON-escaped', async (t) => {
  const { editor } = await buildTestApp(t)
  const read = async () => (await editor.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag as string
  const forms: [string, (etag: string) => string][] = [
    ['bare', (etag) => etag.slice(1, -1)],
    ['JSON-escaped, as a review queue shows it', (etag) => JSON.stringify(etag).slice(1, -1)],
    ['JSON-escaped with its outer quotes', (etag) => JSON.stringify(etag)],
    ['quoted, as sent by HTTP', (etag) => etag],
  ]
  for (const [how, form] of forms) {
    // Each accepted change makes a new version: the next form uses the new ETag.
    const etag = await read()
    const res = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', form(etag)).send({ sentence: { value: { text: how }, citations: [{ sourceId: SEED.articleA, quote: '18 years' }] } })
    t.equal(res.status, 200, `${how}: ${form(etag)}`)
  }
})

t.test('a malformed If-Match is 400 naming it, a stale one 412, and neither changes anything', async (t) => {
  const { editor, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const etag = (await editor.get(`/v1/prisoners/${SEED.karnei}`)).headers.etag as string
  const malformed = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', 'the etag').send(change('x'))
  t.equal(malformed.status, 400)
  t.equal(malformed.body.errors[0].path, 'if-match')
  t.match(malformed.body.detail, etag, 'it shows the ETag as it must be sent')
  const stale = await editor.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', `"${'A'.repeat(27)}"`).send(change('x'))
  t.equal(stale.status, 412)
  const missing = await editor.patch(`/v1/prisoners/${SEED.karnei}`).send(change('x'))
  t.equal(missing.status, 428)
  t.match(missing.body.detail, etag)
  t.same((await snapshot(database)), before)
})
