import t from 'tap'
import { KeysService } from '../../../src/core/access/api-keys'
import { SEED, buildTestApp } from '../../helpers/test-app'

const released = { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] }

t.test('a volunteer lists what they submitted and where it stands; another key, even of the same name, sees none of it', async (t) => {
  const { app, volunteer, editor, database } = await buildTestApp(t)
  const record = await volunteer.post('/v1/prisoners').send({ status: released, comment: 'mine' })
  const etag = (await http(app).get(`/v1/prisoners/${SEED.karnei}`)).headers.etag
  const proposal = await volunteer.patch(`/v1/prisoners/${SEED.karnei}`).set('if-match', etag).send({ status: released, nationality: { value: 'BY', citations: [{ sourceId: SEED.articleB, quote: 'Belarusian' }] } })
  t.equal(proposal.status, 202)

  let mine = (await volunteer.get('/v1/submissions')).body
  t.same(mine.records.map((r: { id: string; state: string }) => [r.id, r.state]), [[record.body.id, 'pending']])
  t.equal(mine.records[0].etag, record.headers.etag, 'with the ETag to send for a change')
  t.same(mine.proposals.map((p: { id: string; status: string }) => [p.id, p.status]), [[proposal.body.id, 'pending']])

  await editor.post(`/v1/prisoners/${record.body.id}/review`).set('if-match', record.headers.etag).send({ decision: 'reject', comment: 'no source for this person' })
  await editor.post(`/v1/proposals/${proposal.body.id}/review`).send({ decision: 'reject', comment: 'not in the article' })
  mine = (await volunteer.get('/v1/submissions')).body
  t.equal(mine.records[0].state, 'rejected')
  t.same([mine.proposals[0].status, mine.proposals[0].decisionComment], ['rejected', 'not in the article'])

  const twin = (await new KeysService(database).create('Vera Volunteer', 'volunteer', 'test')).key
  const theirs = (await http(app).get('/v1/submissions').set('authorization', `Bearer ${twin}`)).body
  t.same(theirs, { records: [], proposals: [], events: [], eventProposals: [] }, 'a key of the same name has its own, empty list')
  t.equal((await http(app).get('/v1/submissions')).status, 401)
})

t.test('passages: the sentences of a source holding the words asked for, ready to quote', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const res = await http.get(`/v1/sources/${SEED.articleB}/passages`).query({ text: 'karnei journalist' })
  t.equal(res.status, 200)
  t.equal(res.body.data.length, 1)
  const { text } = res.body.data[0]
  t.match(text, /Ihar Karnei, a former journalist/)
  const cited = await editor.post('/v1/prisoners').send({ name: { value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: text }] } })
  t.equal(cited.status, 201, 'a passage pasted as it is, is a quote that is found')
  t.same([cited.body.name.citations[0].start, cited.body.name.citations[0].end], [res.body.data[0].start, res.body.data[0].end])
  t.equal((await http.get(`/v1/sources/${SEED.rbc}/passages`).query({ text: 'x' })).status, 404, 'a source without archived text')
  t.equal((await http.get(`/v1/sources/${SEED.articleB}/passages`)).status, 400, 'text is required')
})

import supertest from 'supertest'
import type { FastifyInstance } from 'fastify'
function http(app: FastifyInstance) {
  return supertest(app.server)
}
