import t from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

interface Claim {
  id: string
  value: unknown
  rank: string
  reason: string | null
  introducedIn: number | null
  citations: { sourceId: string; quote: string }[]
}

t.test('every claim of a field, with its rank, citations and origin', async (t) => {
  const { http } = await buildTestApp(t)
  const { body } = await http.get(`/v1/prisoners/${SEED.tsikhanouski}/fields/name`)
  t.equal(body.field, 'name')
  t.same(body.claims.map((c: Claim) => [c.value, c.rank, c.introducedIn]), [
    ['Siarhei Tsikhanouski', 'preferred', 1],
    ['Syarhei Tsikhanouski', 'normal', 1],
  ])
  const record = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).body
  t.equal(record.name.claimId, body.claims[0].id, 'reads name the claim behind each value')
  t.equal(record.name.alternatives[0].claimId, body.claims[1].id)
  t.equal((await http.get(`/v1/prisoners/${SEED.tsikhanouski}/fields/birthplace`)).status, 400)
})

t.test('an editor chooses the preferred claim with a reason; a stale choice is refused', async (t) => {
  const { http, editor, volunteer } = await buildTestApp(t)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const karney = read.body.name.alternatives[0].claimId
  const choice = { claimId: karney, rank: 'preferred', reason: 'Viasna spells it Karney' }

  t.equal((await volunteer.post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`).set('if-match', read.headers.etag).send(choice)).status, 403)
  t.equal((await editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`).send(choice)).status, 428)
  const chosen = await editor.post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`).set('if-match', read.headers.etag).send(choice)
  t.equal(chosen.status, 200)
  t.same([chosen.body.name.value, chosen.body.name.alternatives.map((a: { value: string }) => a.value)], ['Ihar Karney', ['Ihar Karnei']])
  t.equal(chosen.body.name.citations[0].sourceId, SEED.articleA, 'the chosen claim keeps its own citations')

  const stale = await editor
    .post(`/v1/prisoners/${SEED.karnei}/fields/name/rank`)
    .set('if-match', read.headers.etag)
    .send({ claimId: read.body.name.claimId, rank: 'preferred', reason: 'undo' })
  t.equal(stale.status, 412, 'a stale preferred-claim change gets 412')

  const claims = (await http.get(`/v1/prisoners/${SEED.karnei}/fields/name`)).body.claims as Claim[]
  t.same(claims.map((c) => [c.value, c.rank, c.reason]), [
    ['Ihar Karney', 'preferred', 'Viasna spells it Karney'],
    ['Ihar Karnei', 'normal', 'no longer preferred: Viasna spells it Karney'],
  ])
  const [revision] = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data
  t.same([revision.changes.name.before.value, revision.changes.name.after.value], ['Ihar Karnei', 'Ihar Karney'])
  t.match(revision.actor, /^editor [0-9a-f]{6}$/)
  t.match(revision.comment, /Viasna spells it Karney/)
  t.equal((await http.get('/v1/prisoners').query({ q: 'Karnei' })).body.data[0].match.value, 'Ihar Karnei', 'both spellings stay searchable')
})

t.test('an editor adds an alternative and deprecates one; deprecated claims leave reads but stay listed', async (t) => {
  const { http, editor } = await buildTestApp(t)
  let read = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const added = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/claims`)
    .set('if-match', read.headers.etag)
    .send({ value: 'LT', citations: [{ sourceId: SEED.articleA, quote: 'transferred to Lithuania' }], reason: 'test only' })
  t.equal(added.status, 201)
  t.same(added.body.nationality.alternatives.map((a: { value: string }) => a.value), ['LT'])

  const invalid = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/claims`)
    .set('if-match', added.headers.etag)
    .send({ value: 'Lithuanian', citations: [{ sourceId: SEED.articleA, quote: 'Lithuania' }] })
  t.equal(invalid.status, 422, "the value follows its field's rules")
  t.equal(invalid.body.errors[0].path, '/value')
  const uncited = await editor.post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/claims`).set('if-match', added.headers.etag).send({ value: 'LT', citations: [] })
  t.equal(uncited.status, 422)
  t.equal(uncited.body.type, '/problems/uncited-value')
  t.equal(uncited.body.errors[0].path, '/citations', 'errors point into the body that was sent')
  const misquoted = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/claims`)
    .set('if-match', added.headers.etag)
    .send({ value: 'LT', citations: [{ sourceId: SEED.articleA, quote: 'born in Vilnius' }] })
  t.same([misquoted.body.type, misquoted.body.errors[0].path], ['/problems/quote-not-found', '/citations/0'])
  t.notMatch(misquoted.body.detail, /nationality|alternatives/)

  read = await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const lt = read.body.nationality.alternatives[0].claimId
  const deprecated = await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality/rank`)
    .set('if-match', read.headers.etag)
    .send({ claimId: lt, rank: 'deprecated', reason: 'Lithuania is where he was taken, not his nationality' })
  t.equal(deprecated.status, 200)
  t.same(deprecated.body.nationality.alternatives, [], 'out of default reads')
  const claims = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}/fields/nationality`)).body.claims as Claim[]
  t.same(claims.map((c) => [c.value, c.rank]), [['BY', 'preferred'], ['LT', 'deprecated']], 'still listed, deprecated')
})
