import t from 'tap'
import { ActorPseudonyms1752400000000 } from '../../migrations/1752400000000-ActorPseudonyms'
import { KeysService } from '../../src/core/access/api-keys'
import { SEED, buildTestApp } from '../helpers/test-app'

const PSEUDONYM = /^(volunteer|editor) [0-9a-f]{6}$/

t.test('the actor-pseudonyms migration attributes old changes to their keys and takes proposers’ names out of reviews', async (t) => {
  const { database, http, volunteer, editor } = await buildTestApp(t)
  const keys = new KeysService(database)
  const twin = (await keys.create('Twin', 'volunteer', 'test')).key
  await keys.create('Twin', 'volunteer', 'test')
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const proposal = await volunteer
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({ nationality: { value: 'BY', citations: [{ sourceId: SEED.articleB, quote: 'five Belarusians' }] } })
  t.equal(proposal.status, 202)
  t.equal((await editor.post(`/v1/proposals/${proposal.body.id}/review`).send({ decision: 'approve' })).status, 200)
  const twinSource = await http.post('/v1/sources').set('authorization', `Bearer ${twin}`).send({ title: 'A note', kind: 'other' })
  const shownNow = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data[0] as { actor: string; comment: string }

  // As an older release left them: no key ids or roles, the proposer named in the review.
  await database.transaction(async (manager) => {
    for (const [table, prefix] of [['revisions', 'actor'], ['sources', 'created_by'], ['proposals', 'decided_by']]) {
      await manager.query(`UPDATE ${table} SET ${prefix}_key = NULL, ${prefix}_role = NULL`)
    }
    const old = `Approved proposal ${proposal.body.id} by Vera Volunteer`
    const diff = JSON.stringify({ proposal: { id: proposal.body.id, proposedBy: 'Vera Volunteer', before: 'pending', after: 'approved' } })
    await manager.query(`UPDATE revisions SET comment = '${old}', diff = '${diff}' WHERE prisoner_id = '${SEED.karnei}' AND action = 'review'`)
  })
  const leaked = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data[0] as { actor: string; comment: string }
  t.match(leaked.comment, /Vera Volunteer/, 'the old review names the proposer')

  const secret = (await database.get<{ value: string }>("SELECT value FROM instance_secrets WHERE name = 'actor-pseudonym'"))!.value
  await database.transaction(async (manager) => {
    await ActorPseudonyms1752400000000.attributeExisting(manager.queryRunner!)
    await ActorPseudonyms1752400000000.pseudonymiseProposers(manager.queryRunner!, secret)
  })

  const [review] = (await http.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data as { actor: string; comment: string }[]
  t.same(review, { ...review, actor: shownNow.actor, comment: shownNow.comment }, 'the editor is attributed again, and the review reads as a new one')
  t.notMatch(JSON.stringify(review), /Vera/, 'no name left in the comment or the diff')
  const stored = await database.get<{ diff: string }>(`SELECT diff FROM revisions WHERE prisoner_id = ? AND action = 'review'`, [SEED.karnei])
  t.match((JSON.parse(stored!.diff) as { proposal: { proposedBy: string } }).proposal.proposedBy, PSEUDONYM, 'the stored diff names the pseudonym')
  t.equal((await editor.get(`/v1/prisoners/${SEED.karnei}/history`)).body.data[0].actor, 'Edgar Editor', 'editors still read the name')
  const source = (await http.get(`/v1/sources/${twinSource.body.id}`)).body as { addedBy: string }
  t.match(source.addedBy, /^contributor [0-9a-f]{6}$/, 'a name two keys share: no key, still a pseudonym, never the name')
  t.equal((await http.get(`/v1/sources/${SEED.articleA}`)).body.addedBy, 'seed')
})
