import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app'
import { KeysService } from '../../src/core/access/api-keys'
import { rebuildStaleEventDocuments } from '../../src/core/record/event-documents'
import { MIGRATIONS } from '../../src/db/data-source'
import { Database } from '../../src/db/database'
import { seed } from '../../src/seed/seed'
import { AuditService } from '../../src/modules/audit/audit.service'
import { EventDocuments1752600000000 } from '../../migrations/1752600000000-EventDocuments'
import { SEED } from '../helpers/test-app'
import { freshDatabase } from '../helpers/test-database'
import { addLaterColumns, dropColumns } from '../helpers/later-columns'

/**
 * docs/design.md §3.3: events write through the one writer of cited subjects and store their documents at write
 * time. A registry of the release before (no stored event documents) holding events with alternatives, a ranked
 * claim, a private source, a pending event, proposals approved and waiting, a deletion and a restore, reads the same
 * after the migration: every event read, history, claims, proposal, the review queue, the feed, the exports and the
 * audit; first from the claims (documents not built yet), then from the documents the start rebuilds.
 */

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EventDocuments1752600000000))
const A = (quote: string) => [{ sourceId: SEED.articleA, quote }]

type Answer = { status: number; etag: string | undefined; body: string }

async function readEverything(app: FastifyInstance, keys: Record<'editor' | 'volunteer', string>, ids: { events: string[]; proposals: string[] }, database: Database) {
  const answers: Record<string, Answer> = {}
  const callers = { anonymous: undefined, volunteer: keys.volunteer, editor: keys.editor }
  const paths = [
    '/v1/events',
    '/v1/events?kind=release',
    '/v1/changes/events',
    '/v1/export/events?format=ndjson',
    '/v1/export/events?format=csv',
    '/v1/export/events?format=jsonld',
    '/v1/review',
    ...ids.events.flatMap((id) => [`/v1/events/${id}`, `/v1/events/${id}/history`, `/v1/events/${id}/fields/count`, `/v1/events/${id}/fields/place`]),
    ...ids.proposals.map((id) => `/v1/events/proposals/${id}`),
  ]
  for (const [who, key] of Object.entries(callers)) {
    for (const url of paths) {
      const reply = await app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} })
      answers[`${who} ${url}`] = { status: reply.statusCode, etag: reply.headers.etag as string | undefined, body: reply.body }
    }
  }
  // `npm run audit`'s service: the same counts and findings (when it ran aside).
  const { checkedAt: _when, ...report } = await new AuditService(database).verify()
  answers.audit = { status: 0, etag: undefined, body: JSON.stringify(report) }
  return answers
}

t.test('events written before their documents were stored read the same after the migration, before and after the rebuild', async (t) => {
  const scratch = await freshDatabase()
  t.teardown(() => scratch.remove())
  const old = await Database.open(scratch.location, { migrations: BEFORE })
  const later = await addLaterColumns(old)
  t.ok(later.columns.some(([table, column]) => table === 'events' && column === 'document'), 'the schema before has no stored event documents')
  await seed(old)
  const service = new KeysService(old)
  const keys = { volunteer: (await service.create('Vera Volunteer', 'volunteer', 'test')).key, editor: (await service.create('Edgar Editor', 'editor', 'test')).key }
  const app = await buildApp({ database: old, writesPerMinute: 10_000 })
  const as = (key: string) => (method: 'POST' | 'PATCH', url: string, payload: object, etag?: string) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-match': etag } : {}) } })
  const editor = as(keys.editor)
  const volunteer = as(keys.volunteer)
  const etag = async (id: string, key = keys.editor) => (await app.inject({ url: `/v1/events/${id}`, headers: { authorization: `Bearer ${key}` } })).headers.etag as string

  const letter = await editor('POST', '/v1/sources', { title: 'A testimony', kind: 'other', language: 'en', private: true, content: 'We were 14 on the bus to Vilnius.' })
  t.equal(letter.statusCode, 201)
  const created = await editor('POST', '/v1/events', {
    kind: { value: 'transfer', citations: A('were transferred to Lithuania') },
    count: { value: 14, citations: A('the transfer of 14 prisoners to Lithuania'), alternatives: [{ value: 15, citations: A('the release of the 14 individuals') }] },
    comment: 'From article A.',
  })
  t.equal(created.statusCode, 201, created.body)
  const transfer = created.json().id as string
  t.equal((await editor('PATCH', `/v1/events/${transfer}`, { place: { value: 'Vilnius', citations: [{ sourceId: letter.json().id, quote: 'the bus to Vilnius' }] } }, await etag(transfer))).statusCode, 200)
  const alternative = created.json().count.alternatives[0].claimId as string
  const ranked = await editor('POST', `/v1/events/${transfer}/fields/count/rank`, { claimId: alternative, rank: 'preferred', reason: 'the later count' }, await etag(transfer))
  t.equal(ranked.statusCode, 200, ranked.body)
  const proposed = await volunteer('PATCH', `/v1/events/${SEED.release}`, { place: { value: 'Vilnius', citations: A('to Lithuania') } }, await etag(SEED.release, keys.volunteer))
  t.equal(proposed.statusCode, 202, proposed.body)
  const waiting = await volunteer('PATCH', `/v1/events/${transfer}`, { kind: { value: 'release', citations: A('have been released by the Belarusian authorities') } }, await etag(transfer, keys.volunteer))
  t.equal(waiting.statusCode, 202, waiting.body)
  t.equal((await editor('POST', `/v1/events/proposals/${proposed.json().id}/review`, { decision: 'approve' })).statusCode, 200)
  const pending = await volunteer('POST', '/v1/events', { kind: { value: 'release', citations: A('have been released by the Belarusian authorities') } })
  t.equal(pending.statusCode, 201)
  const gone = await editor('POST', '/v1/events', { kind: { value: 'release', citations: A('have been released by the Belarusian authorities') } })
  const goneId = gone.json().id as string
  const removed = await app.inject({ method: 'DELETE', url: `/v1/events/${goneId}`, headers: { authorization: `Bearer ${keys.editor}`, 'if-match': await etag(goneId) } })
  t.equal(removed.statusCode, 204, removed.body)
  t.equal((await editor('POST', `/v1/events/${goneId}/restore`, { comment: 'back' }, await etag(goneId))).statusCode, 200)
  const ids = { events: [SEED.release, transfer, pending.json().id as string, goneId], proposals: [proposed.json().id as string, waiting.json().id as string] }

  const before = await readEverything(app, keys, ids, old)
  t.equal(before[`anonymous /v1/events/${transfer}`].status, 200)
  t.equal(before[`volunteer /v1/events/${ids.events[2]}`].status, 200, "the volunteer reads their pending event")
  t.equal(before[`anonymous /v1/events/${ids.events[2]}`].status, 404)
  t.match(JSON.parse(before['editor /v1/review'].body), { events: [{ id: ids.events[2] }], eventProposals: [{ id: ids.proposals[1] }] }, 'the queue holds what waits')
  await dropColumns(old, later)
  await app.close() // and its database

  const database = await Database.open(scratch.location)
  t.teardown(() => database.close())
  const upgraded = await buildApp({ database })
  t.teardown(() => upgraded.close())
  const stored = await database.all<{ document: string | null }>('SELECT document FROM events')
  t.ok(stored.length >= 4 && stored.every(({ document }) => document === null), 'the migration stores no document: derived data, built by the app')
  t.same(await readEverything(upgraded, keys, ids, database), before, 'read from the claims: every answer and ETag as before')

  const rebuilt = await rebuildStaleEventDocuments(database)
  t.match(rebuilt, { from: null, events: stored.length })
  t.ok((await database.all<{ document: string | null }>('SELECT document FROM events')).every(({ document }) => document !== null), 'every event has its documents')
  t.equal(await rebuildStaleEventDocuments(database), null, 'once: the version is recorded')
  const after = await readEverything(upgraded, keys, ids, database)
  for (const key of Object.keys(before)) t.same(after[key], before[key], `${key}: the same answer from the stored documents`)
  t.notMatch(after[`anonymous /v1/events/${transfer}`].body, /the bus to Vilnius/, "the private source's words stay out of the public document")
  t.match(after[`editor /v1/events/${transfer}`].body, /the bus to Vilnius/, 'editors read them')
})
