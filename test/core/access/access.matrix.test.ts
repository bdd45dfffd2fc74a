import supertest from 'supertest'
import t from 'tap'
import { KeysService } from '../../../src/core/access/api-keys'
import { buildTestApp } from '../../helpers/test-app'

/**
 * docs/design.md §2, invariant 8, as a matrix: every identity × every state of a record × every endpoint that
 * reads or changes a record. Two volunteers share one display name ("Anna"): ownership is by key, so the
 * second Anna sees of the first one's submissions exactly what anonymous readers see, which is nothing.
 */

/** An ETag of the right form that no record has: stale, not malformed. */
const STALE = `"${'A'.repeat(27)}"`

type State = 'published' | 'pending' | 'rejected' | 'deleted'
type Who = 'anonymous' | 'submitter' | 'sameName' | 'editor' | 'admin' | 'revoked'
const STATES: State[] = ['published', 'pending', 'rejected', 'deleted']
const WHO: Who[] = ['anonymous', 'submitter', 'sameName', 'editor', 'admin', 'revoked']

const NAMES: Record<State, string> = { published: 'Alesia Piatrova', pending: 'Barys Sidarau', rejected: 'Ciryl Usau', deleted: 'Daryna Zhuk' }
const TEXT = `A list of people: ${Object.values(NAMES).join(', ')}. All of them were detained.`

/** What the rule says: may `who` read a record in `state` that the submitter submitted? */
function mayRead(who: Who, state: State): boolean {
  if (who === 'editor' || who === 'admin') return true
  if (who === 'revoked') return false
  if (state === 'published') return true
  return who === 'submitter' && state !== 'deleted'
}

t.test('who may read and change what: identity × record state × endpoint', async (t) => {
  // The revoked key fails on every request: no limit on failed authentications here.
  const { app, database, editor, admin } = await buildTestApp(t, { authFailuresPer15Minutes: 1_000_000 })
  const keys = new KeysService(database)
  const anna = (await keys.create('Anna', 'volunteer', 'test')).key
  const otherAnna = (await keys.create('Anna', 'volunteer', 'test')).key
  const revoked = await keys.create('Anna', 'volunteer', 'test')
  await keys.revoke(revoked.id)
  const keyOf: Record<Who, string | null> = {
    anonymous: null,
    submitter: anna,
    sameName: otherAnna,
    editor: (await admin.post('/v1/keys').send({ name: 'Eda', role: 'editor' })).body.key,
    admin: (await admin.post('/v1/keys').send({ name: 'Adam', role: 'admin' })).body.key,
    revoked: revoked.key,
  }
  const as = (who: Who) => {
    const key = keyOf[who]
    const http = supertest(app.server)
    const auth = (req: supertest.Test) => (key ? req.set('authorization', `Bearer ${key}`) : req)
    return {
      get: (path: string) => auth(http.get(path)),
      post: (path: string) => auth(http.post(path)),
      patch: (path: string) => auth(http.patch(path)),
      delete: (path: string) => auth(http.delete(path)),
    }
  }

  // One record in each state, all submitted by Anna (the deleted one was published, then deleted).
  const source = (await editor.post('/v1/sources').send({ title: 'A list', kind: 'ngo', content: TEXT })).body.id
  const ids = {} as Record<State, string>
  const etags = {} as Record<State, string>
  const citation = {} as Record<State, string>
  const proposalOn = {} as Record<State, string>
  for (const state of STATES) {
    const body = {
      name: { value: NAMES[state], citations: [{ sourceId: source, quote: NAMES[state] }] },
      status: { value: 'detained', citations: [{ sourceId: source, quote: 'All of them were detained' }] },
    }
    const created = await as('submitter').post('/v1/prisoners').send(body)
    t.equal(created.status, 201)
    ids[state] = created.body.id
    if (state !== 'pending') {
      const decision = state === 'rejected' ? 'reject' : 'approve'
      const reviewed = await editor.post(`/v1/prisoners/${created.body.id}/review`).set('if-match', created.headers.etag).send({ decision })
      t.equal(reviewed.status, 200)
    }
    const current = await editor.get(`/v1/prisoners/${created.body.id}`)
    citation[state] = current.body.name.citations[0].id
    if (state !== 'deleted') {
      const proposal = await as('submitter')
        .patch(`/v1/prisoners/${created.body.id}`)
        .set('if-match', current.headers.etag)
        .send({ comment: 'a spelling', status: body.status, name: { ...body.name, alternatives: [] } })
      proposalOn[state] = proposal.body.id
    }
    if (state === 'deleted') {
      t.equal((await editor.delete(`/v1/prisoners/${created.body.id}`).set('if-match', current.headers.etag)).status, 204)
    }
    etags[state] = (await editor.get(`/v1/prisoners/${created.body.id}`)).headers.etag
  }
  t.ok(proposalOn.published, 'a volunteer proposes a change to a published record')
  t.ok(proposalOn.pending, 'and to their own pending record')

  for (const who of WHO) {
    const client = as(who)
    for (const state of STATES) {
      const id = ids[state]
      const where = `${who}, ${state}`
      const readable = mayRead(who, state)
      const denied = who === 'revoked' ? 401 : 404
      const expect = readable ? 200 : denied

      // Reads of the record and of everything that hangs from it.
      for (const path of [`/v1/prisoners/${id}`, `/v1/prisoners/${id}/history`, `/v1/prisoners/${id}/fields/name`, `/v1/citations/${citation[state]}`]) {
        const res = await client.get(path)
        t.equal(res.status, expect, `${where}: GET ${path.replace(id, '{id}')}`)
        if (!readable) t.notOk(res.text.includes(NAMES[state]) || res.text.includes(etags[state]), `${where}: nothing of it in the answer`)
      }
      const bySource = await client.get(`/v1/sources/${source}/citations?limit=500`)
      if (who === 'revoked') t.equal(bySource.status, 401)
      else t.equal(bySource.body.data.some((c: { recordId: string }) => c.recordId === id), readable, `${where}: the source's list of citations`)

      // The public registry is the same for every key.
      const listed = state === 'published'
      if (who !== 'revoked') {
        const list = await client.get('/v1/prisoners?limit=200')
        t.equal(list.body.data.some((r: { id: string }) => r.id === id), listed, `${where}: list`)
        const search = await client.get('/v1/prisoners').query({ q: NAMES[state] })
        t.equal(search.body.data.length, listed ? 1 : 0, `${where}: search by name`)
        t.equal((await client.get('/v1/export?format=ndjson')).text.includes(id), listed, `${where}: export`)
        const feed = (await client.get('/v1/changes?limit=1000')).body.data as { recordId: string; state: string }[]
        t.equal(feed.filter((e) => e.recordId === id).at(-1)?.state, listed ? 'published' : state === 'deleted' ? 'deleted' : undefined, `${where}: change feed`)
        t.equal(list.headers['cache-control'], who === 'anonymous' ? 'public, max-age=60, must-revalidate' : 'private, no-cache', `${where}: caching`)
      }

      // Proposals: their author and editors.
      if (proposalOn[state]) {
        const res = await client.get(`/v1/proposals/${proposalOn[state]}`)
        const proposalExpect = who === 'anonymous' || who === 'revoked' ? 401 : who === 'sameName' ? 404 : 200
        t.equal(res.status, proposalExpect, `${where}: GET /v1/proposals/{id}`)
      }

      // Changes, with an If-Match that is wrong or missing: the record's existence and ETag are revealed only to who may change it.
      const mayChangeAsVolunteer = (who === 'submitter' && state !== 'deleted') || (who === 'sameName' && state === 'published')
      const patchExpect = who === 'anonymous' || who === 'revoked' ? 401 : who === 'editor' || who === 'admin' ? (state === 'deleted' ? 404 : 412) : mayChangeAsVolunteer ? 412 : 404
      const patch = { status: { value: 'released', citations: [{ sourceId: source, quote: 'All of them were detained' }] } }
      const stale = await client.patch(`/v1/prisoners/${id}`).set('if-match', STALE).send(patch)
      t.equal(stale.status, patchExpect, `${where}: PATCH with a stale If-Match`)
      const bare = await client.patch(`/v1/prisoners/${id}`).send(patch)
      t.equal(bare.status, patchExpect === 412 ? 428 : patchExpect, `${where}: PATCH without If-Match`)
      if (bare.status !== 428) t.notOk(bare.text.includes(etags[state]), `${where}: no ETag in the refusal`)

      const editorOnly: [string, () => supertest.Test, number][] = [
        ['DELETE', () => client.delete(`/v1/prisoners/${id}`).set('if-match', STALE), state === 'deleted' ? 404 : 412],
        ['restore', () => client.post(`/v1/prisoners/${id}/restore`).set('if-match', STALE).send({}), state === 'deleted' ? 412 : 404],
        ['review', () => client.post(`/v1/prisoners/${id}/review`).set('if-match', STALE).send({ decision: 'approve' }), state === 'deleted' ? 404 : 412],
        ['add a claim', () => client.post(`/v1/prisoners/${id}/fields/status/claims`).set('if-match', STALE).send(patch.status), state === 'deleted' ? 404 : 412],
        ['rank', () => client.post(`/v1/prisoners/${id}/fields/name/rank`).set('if-match', STALE).send({ claimId: citation[state], rank: 'normal', reason: 'x' }), state === 'deleted' ? 404 : 412],
      ]
      for (const [what, send, asEditor] of editorOnly) {
        const res = await send()
        const expected = who === 'anonymous' || who === 'revoked' ? 401 : who === 'editor' || who === 'admin' ? asEditor : 403
        t.equal(res.status, expected, `${where}: ${what}`)
      }
    }
  }

  // The review queue and its decisions are editors' alone.
  for (const who of WHO) {
    const expected = who === 'anonymous' || who === 'revoked' ? 401 : who === 'editor' || who === 'admin' ? 200 : 403
    t.equal((await as(who).get('/v1/review')).status, expected, `${who}: GET /v1/review`)
    const decision = await as(who).post(`/v1/proposals/${proposalOn.published}/review`).send({ decision: 'reject' })
    t.equal(decision.status, expected === 200 ? (who === 'editor' ? 200 : 409) : expected, `${who}: POST /v1/proposals/{id}/review`)
  }
})
