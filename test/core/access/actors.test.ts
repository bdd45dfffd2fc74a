import supertest from 'supertest'
import t from 'tap'
import { buildApp } from '../../../src/app'
import { pseudonymOf } from '../../../src/core/access/actors'
import { KeysService } from '../../../src/core/access/api-keys'
import { registeredRoutes } from '../../helpers/routes'
import { SEED, buildTestApp } from '../../helpers/test-app'

/**
 * Who did it, safely (docs/design.md §2, invariant 8): no key's name reaches the public or another volunteer, on any
 * GET route the app registers (read from its routing table: a route added later is covered without editing this),
 * in any of its renditions (JSON, CSV, NDJSON, JSON-LD, Atom); they see a role and a stable pseudonym instead.
 * Editors see names; a volunteer sees its own.
 */

const VOLUNTEER = 'Zosia Kowalczyk-Tajna'
const OTHER = 'Olek Innywolontariusz'
const EDITOR = 'Jadwiga Redaktorska'
/** Any word of a name is enough to find its holder: each is looked for alone. */
const wordsOf = (names: string[]) => names.flatMap((name) => name.split(/[\s-]+/)).map((word) => word.toLowerCase())

const TEXT = 'Letter of the family. Aliaksei Vinahradau was detained in Hrodna. He is still detained.'
const PSEUDONYM = /^(volunteer|editor|admin) [0-9a-f]{6}$/

t.test('no key name in any anonymous or other volunteer answer of any GET route', async (t) => {
  const { app, database, http, admin } = await buildTestApp(t)
  const keys = new KeysService(database)
  const volunteerKey = await keys.create(VOLUNTEER, 'volunteer', 'test')
  const [otherKey, editorKey] = [(await keys.create(OTHER, 'volunteer', 'test')).key, (await keys.create(EDITOR, 'editor', 'test')).key]
  const as = (key: string) => supertest.agent(app.server).set('authorization', `Bearer ${key}`)
  const [volunteer, other, editor] = [as(volunteerKey.key), as(otherKey), as(editorKey)]

  // The volunteer adds a source, a record citing it, an event, and proposes changes to a published record and event.
  const source = await volunteer.post('/v1/sources').send({ title: 'A letter', kind: 'ngo', content: TEXT })
  t.equal(source.status, 201)
  const cited = (quote: string) => [{ sourceId: source.body.id, quote }]
  const record = await volunteer.post('/v1/prisoners').send({
    name: { value: 'Aliaksei Vinahradau', citations: cited('Aliaksei Vinahradau') },
    status: { value: 'detained', citations: cited('He is still detained') },
  })
  t.equal(record.status, 201)
  const event = await volunteer.post('/v1/events').send({ place: { value: 'Hrodna', citations: cited('detained in Hrodna') } })
  t.equal(event.status, 201)
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const proposal = await volunteer
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({ nationality: { value: 'BY', citations: [{ sourceId: SEED.articleB, quote: 'five Belarusians' }] } })
  t.equal(proposal.status, 202)
  const release = await http.get(`/v1/events/${SEED.release}`)
  const eventProposal = await volunteer
    .patch(`/v1/events/${SEED.release}`)
    .set('if-match', release.headers.etag)
    .send({ place: { value: 'Vilnius', citations: [{ sourceId: SEED.rbc, quote: 'Vilnius' }] } })
  // The RBC source has no archived text, so any quote stands; a refusal would leave nothing to review.
  t.equal(eventProposal.status, 202)

  // The editor publishes all of it, and writes on their own: a source, a change to a record.
  const pending = await editor.get(`/v1/prisoners/${record.body.id}`)
  t.equal((await editor.post(`/v1/prisoners/${record.body.id}/review`).set('if-match', pending.headers.etag).send({ decision: 'approve' })).status, 200)
  const pendingEvent = await editor.get(`/v1/events/${event.body.id}`)
  t.equal((await editor.post(`/v1/events/${event.body.id}/review`).set('if-match', pendingEvent.headers.etag).send({ decision: 'approve' })).status, 200)
  t.equal((await editor.post(`/v1/proposals/${proposal.body.id}/review`).send({ decision: 'approve' })).status, 200)
  t.equal((await editor.post(`/v1/events/proposals/${eventProposal.body.id}/review`).send({ decision: 'approve' })).status, 200)
  const editorSource = await editor.post('/v1/sources').send({ title: 'A note', kind: 'other', content: 'Ihar Karnei is free.' })
  t.equal(editorSource.status, 201)
  const tsikhanouski = await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)
  const patched = await editor
    .patch(`/v1/prisoners/${SEED.tsikhanouski}`)
    .set('if-match', tsikhanouski.headers.etag)
    .send({ comment: 'checked', status: { value: 'released', citations: [{ sourceId: SEED.articleA, quote: 'released' }] } })
  t.equal(patched.status, 200)
  const webhook = await volunteer.post('/v1/webhooks').send({ url: 'https://example.org/hook', events: ['record.changed'] })
  const citation = (await http.get(`/v1/prisoners/${record.body.id}`)).body.name.citations[0].id as string

  // Every path parameter filled with what the writes above made (and the seed), by the resource the path names.
  const ids: Record<string, string[]> = {
    prisoners: [record.body.id, SEED.karnei, SEED.tsikhanouski],
    sources: [source.body.id, editorSource.body.id],
    events: [event.body.id, SEED.release],
    'events/proposals': [eventProposal.body.id],
    proposals: [proposal.body.id],
    citations: [citation],
    webhooks: [webhook.body.id ?? 'none'],
    keys: ['none'],
    embed: ['registry-person.js'],
  }
  const every = [...new Set(Object.values(ids).flat())]
  const fill = (url: string): string[] => {
    const resource = /^\/v1\/([a-z]+(?:\/proposals)?)\/:/.exec(url)?.[1]
    const values = (resource && ids[resource]) || every
    if (!url.includes(':')) return [url]
    return values.map((id) => url.replace(/:(id|file)\b/, id).replace(':field', url.startsWith('/v1/events') ? 'place' : 'name'))
  }
  const VARIANTS: { query: string; accept?: string }[] = [
    { query: '' },
    { query: '?format=csv' },
    { query: '?format=ndjson' },
    { query: '?format=jsonld' },
    { query: '?text=detained' },
    { query: '', accept: 'application/ld+json' },
    { query: '', accept: 'application/atom+xml' },
  ]

  const routes = registeredRoutes(app, ['GET'])
  t.ok(routes.some((route) => route.url === '/v1/prisoners/:id/history'), 'the routing table is read')
  // Another volunteer may read its own name (a refusal names the key that asked): not the others'.
  const readers = [
    { who: 'anonymous', agent: http, hidden: wordsOf([VOLUNTEER, OTHER, EDITOR]) },
    { who: 'another volunteer', agent: other, hidden: wordsOf([VOLUNTEER, EDITOR]) },
  ]
  let answered = 0
  for (const { url } of routes) {
    for (const path of fill(url)) {
      for (const { query, accept } of VARIANTS) {
        for (const { who, agent, hidden } of readers) {
          const request = agent.get(path + query).buffer(true).parse((res, done) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => (text += chunk))
            res.on('end', () => done(null, text))
          })
          const answer = await (accept ? request.set('accept', accept) : request)
          if (answer.status === 200) answered++
          const text = (answer.body as string).toLowerCase() + JSON.stringify(answer.headers).toLowerCase()
          const found = hidden.filter((word) => text.includes(word))
          if (found.length) t.fail(`${who}: GET ${path}${query} ${accept ?? ''} names ${found.join(', ')}`)
        }
      }
    }
  }
  t.ok(answered > 100, `the readers were answered (${answered} answers 200)`)

  // What they see instead: a role and a pseudonym, the same wherever the key appears.
  const history = (await http.get(`/v1/prisoners/${record.body.id}/history`)).body.data as { actor: string; action: string }[]
  const created = history.find((revision) => revision.action === 'create')!.actor
  const reviewed = history.find((revision) => revision.action === 'review')!.actor
  t.match(created, PSEUDONYM)
  t.match(created, /^volunteer /)
  t.match(reviewed, /^editor /)
  t.equal((await http.get(`/v1/sources/${source.body.id}`)).body.addedBy, created, 'the same pseudonym on the source the volunteer added')
  t.equal((await other.get(`/v1/sources/${source.body.id}`)).body.addedBy, created, 'and to another volunteer')
  const feed = (await http.get('/v1/changes').query({ limit: 200 })).body.data as { recordId: string; actor: string }[]
  // The feed shows the record from the review that published it: the editor's.
  t.ok(feed.some((entry) => entry.recordId === record.body.id && entry.actor === reviewed), 'and in the change feed')
  const eventHistory = (await http.get(`/v1/events/${event.body.id}/history`)).body.data as { actor: string; action: string }[]
  t.equal(eventHistory.find((revision) => revision.action === 'create')!.actor, created, 'and in the event history')
  t.equal((await http.get(`/v1/sources/${SEED.articleA}`)).body.addedBy, 'seed', 'the seed is the registry itself, not a person')

  // Editors see names; the volunteer sees its own name on its own work, and others' as pseudonyms.
  const editorsView = (await editor.get(`/v1/prisoners/${record.body.id}/history`)).body.data as { actor: string }[]
  t.same(new Set(editorsView.map((revision) => revision.actor)), new Set([VOLUNTEER, EDITOR]))
  t.equal((await editor.get(`/v1/sources/${source.body.id}`)).body.addedBy, VOLUNTEER)
  t.equal((await admin.get(`/v1/sources/${source.body.id}`)).body.addedBy, VOLUNTEER, 'admins too')
  const ownView = (await volunteer.get(`/v1/prisoners/${record.body.id}/history`)).body.data as { actor: string; action: string }[]
  t.equal(ownView.find((revision) => revision.action === 'create')!.actor, VOLUNTEER)
  t.equal(ownView.find((revision) => revision.action === 'review')!.actor, reviewed, 'the editor who reviewed it is a pseudonym to the volunteer')
  const submissions = (await volunteer.get('/v1/submissions')).body as { proposals: { decidedBy: string }[] }
  t.equal(submissions.proposals[0].decidedBy, reviewed, "the decider of the volunteer's proposal is a pseudonym to them")
  t.equal((await editor.get(`/v1/proposals/${proposal.body.id}`)).body.decidedBy, EDITOR)

  // Made from the key's id and the secret kept in the database: every instance on it, and every restart, shows the same.
  const stored = await database.get<{ value: string }>("SELECT value FROM instance_secrets WHERE name = 'actor-pseudonym'")
  t.equal(pseudonymOf({ name: VOLUNTEER, key: volunteerKey.id, role: 'volunteer' }, stored!.value), created)
})

t.test('two keys with one name have two pseudonyms; an operator secret gives others', async (t) => {
  const { app, database, http } = await buildTestApp(t)
  const keys = new KeysService(database)
  const first = (await keys.create('Anna', 'volunteer', 'test')).key
  const second = (await keys.create('Anna', 'volunteer', 'test')).key
  const addedBy = async (key: string) => {
    const made = await supertest(app.server).post('/v1/sources').set('authorization', `Bearer ${key}`).send({ title: 'A note', kind: 'other' })
    return { id: made.body.id as string, shown: (await http.get(`/v1/sources/${made.body.id}`)).body.addedBy as string }
  }
  const [a, b] = [await addedBy(first), await addedBy(second)]
  t.match(a.shown, PSEUDONYM)
  t.not(a.shown, b.shown, 'a pseudonym is of the key, not of its name')

  const operator = await buildApp({ database, actorPseudonymSecret: 'x'.repeat(40) })
  t.teardown(() => operator.close())
  await operator.ready()
  const shown = (await supertest(operator.server).get(`/v1/sources/${a.id}`)).body.addedBy as string
  t.match(shown, PSEUDONYM)
  t.not(shown, a.shown, 'ACTOR_PSEUDONYM_SECRET replaces the stored secret')
})
