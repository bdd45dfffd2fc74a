import t from 'tap'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'
import { inOrderPerSubject, startReceiver, until, verify } from '../../helpers/webhook-receiver'

/**
 * Webhooks (issue 26) in one process: registration and its refusals, signed deliveries of public changes in order,
 * nothing of a pending submission or a withheld value, retries after 500, deletion. The receiver is a node:http
 * server on 127.0.0.1, which the test allows explicitly (WEBHOOK_ALLOW_PRIVATE).
 */

const FAST = { allowPrivate: ['127.0.0.1'], pollMs: 20, retryBaseMs: 50, timeoutMs: 2000 }

const STATUSES = [
  { value: 'detained', citations: [{ sourceId: SEED.articleA, quote: 'more than 1,000 individuals are currently imprisoned' }] },
  { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
]

/** A PATCH that changes the record's status to the other one (sending what it says already is no change). */
async function changeStatus({ editor }: TestApp, id: string): Promise<number> {
  const current = await editor.get(`/v1/prisoners/${id}`)
  const status = STATUSES.find(({ value }) => value !== current.body.status.value)
  const answer = await editor.patch(`/v1/prisoners/${id}`).set('if-match', current.headers.etag).send({ status })
  if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status}: ${answer.text}`)
  return answer.body.version as number
}

/**
 * Nothing more will arrive: every webhook has read both change feeds to their ends (their cursors are past every
 * revision) and every delivery queued from them is settled (delivered, failed or skipped).
 */
const settled = (database: TestApp['database']) => async () =>
  Number(
    (await database.get<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM webhook_deliveries WHERE status IN ('queued', 'retrying'))
         + (SELECT COUNT(*) FROM webhooks
            WHERE record_changes_seq < (SELECT COALESCE(MAX(id), 0) FROM revisions WHERE public = TRUE)
               OR event_changes_seq < (SELECT COALESCE(MAX(id), 0) FROM event_revisions WHERE public = TRUE)) AS n`,
    ))!.n,
  ) === 0

t.test('registering: editors and admins only; a URL that reaches a private, loopback, link-local or metadata address is a 422', async (t) => {
  const testApp = await buildTestApp(t, { webhooks: FAST })
  const { http, volunteer, editor } = testApp
  const body = { url: 'https://example.org/hook', events: ['record.*'] }
  t.equal((await http.post('/v1/webhooks').send(body)).status, 401)
  t.equal((await volunteer.post('/v1/webhooks').send(body)).status, 403)
  for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://[::ffff:10.0.0.1]/hook', 'http://192.168.0.1/', 'http://127.0.0.2/']) {
    const answer = await editor.post('/v1/webhooks').send({ url, events: ['record.*'] })
    t.equal(answer.status, 422, `${url} is refused`)
    t.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(answer.body.errors?.[0]?.path, '/url', 'the problem names the url')
  }
  for (const url of ['ftp://example.org/x', 'not a url', 'http://user:pw@example.org/']) {
    t.equal((await editor.post('/v1/webhooks').send({ url, events: ['record.*'] })).status, 422, `${url} is refused`)
  }
  const publicAddress = await editor.post('/v1/webhooks').send({ url: 'https://93.184.215.14/hook', events: ['record.*'] })
  t.equal(publicAddress.status, 201, 'a public address is taken')
  t.equal((await editor.delete(`/v1/webhooks/${publicAddress.body.id}`)).status, 204)
  const wrongKind = await editor.post('/v1/webhooks').send({ url: 'http://127.0.0.1:9/hook', events: ['record.explode'] })
  t.equal(wrongKind.status, 422, 'an unknown kind of change is refused')
  t.equal((await testApp.database.get<{ n: number }>('SELECT COUNT(*) AS n FROM webhooks'))!.n, 0, 'nothing refused was stored')
})

t.test('a public change reaches the receiver signed, in order, as the change feed shows it; retried after 500', async (t) => {
  const testApp = await buildTestApp(t, { webhooks: FAST })
  const { editor, admin, http, database } = testApp
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())

  const created = await editor.post('/v1/webhooks').send({ url: receiver.url, events: ['record.update', 'record.review', 'record.withhold', 'record.create'] })
  t.equal(created.status, 201)
  t.match(created.body.secret, /^whsec_[A-Za-z0-9+/]+=*$/, 'the secret, once')
  t.equal(created.headers.location, `/v1/webhooks/${created.body.id}`)
  const { id, secret } = created.body as { id: string; secret: string }
  const read = await editor.get(`/v1/webhooks/${id}`)
  t.same(read.body, { id, url: receiver.url, events: created.body.events, createdAt: created.body.createdAt }, 'read back without its secret')
  t.equal((await admin.get('/v1/webhooks')).body.data.length, 1, 'admins see every webhook')

  // Three changes of one record and one of another, made one after the other.
  const versions = [await changeStatus(testApp, SEED.karnei), await changeStatus(testApp, SEED.tsikhanouski), await changeStatus(testApp, SEED.karnei), await changeStatus(testApp, SEED.karnei)]
  await until(() => receiver.accepted().length === 4, 'four deliveries')
  const got = receiver.accepted()
  t.ok(got.every((entry) => verify(secret, entry)), 'every signature verifies with the secret (own HMAC code)')
  t.notOk(verify('whsec_' + Buffer.from('another secret').toString('base64'), got[0]), 'and not with another secret')
  t.ok(inOrderPerSubject(got), 'each record in the order of its versions')
  t.same(
    got.filter((entry) => entry.payload.data.recordId === SEED.karnei).map((entry) => entry.payload.data.version),
    [versions[0], versions[2], versions[3]],
    'every change of the record, once each',
  )
  const feed = (await http.get('/v1/changes?limit=1000')).body.data as { seq: number }[]
  for (const entry of got) {
    t.same(entry.payload.data, feed.find((change) => change.seq === entry.payload.data.seq), `delivery ${entry.payload.data.seq} is the public feed's entry`)
    t.equal(entry.payload.type, 'record.update')
  }

  // The receiver fails twice, then takes it: the same webhook-id three times; the next change waits its turn.
  let failures = 2
  receiver.answerWith(() => (failures-- > 0 ? 500 : 200))
  const before = receiver.received.length
  const retried = await changeStatus(testApp, SEED.karnei)
  await until(async () => (await editor.get(`/v1/webhooks/${id}/deliveries`)).body.data[0]?.status === 'retrying', 'a delivery retrying')
  const retrying = (await editor.get(`/v1/webhooks/${id}/deliveries`)).body.data[0]
  t.match(retrying, { status: 'retrying', lastStatus: 500, version: retried, subjectId: SEED.karnei }, 'the subscriber reads that it is retried, and why')
  t.ok(retrying.nextAttemptAt, 'and when it is tried next')
  const next = await changeStatus(testApp, SEED.karnei)
  await until(() => receiver.accepted().length === 6, 'both deliveries')
  const after = receiver.received.slice(before)
  t.same(after.map((entry) => [entry.payload.data.version, entry.answered]), [[retried, 500], [retried, 500], [retried, 200], [next, 200]], 'retried until 2xx; the next change only after it')
  t.equal(new Set(after.slice(0, 3).map((entry) => entry.id)).size, 1, 'one webhook-id for every attempt')
  await until(settled(database), 'both outcomes recorded') // the receiver answered before the outcome is stored
  const deliveries = (await editor.get(`/v1/webhooks/${id}/deliveries`)).body.data
  t.match(deliveries[1], { status: 'delivered', attempts: 3, lastStatus: 200, nextAttemptAt: null, version: retried })

  t.equal((await editor.delete(`/v1/webhooks/${id}`)).status, 204)
  t.equal((await editor.get(`/v1/webhooks/${id}`)).status, 404)
  await changeStatus(testApp, SEED.karnei)
  t.ok(await settled(database)(), 'nothing is queued for a deleted webhook')
  t.equal(receiver.received.length, before + 4, 'and nothing more arrives')
})

t.test('nothing of a pending submission or a withheld value leaves', async (t) => {
  const testApp = await buildTestApp(t, { webhooks: FAST })
  const { editor, volunteer, database } = testApp
  const receiver = await startReceiver(() => 503)
  t.teardown(() => receiver.close())
  const { secret } = (await editor.post('/v1/webhooks').send({ url: receiver.url, events: ['record.*'] })).body as { secret: string }

  const pending = await volunteer.post('/v1/prisoners').send({ name: { value: 'Pending Person', citations: [{ sourceId: SEED.articleA, quote: 'Halina Krasnianskaya' }] } })
  t.equal(pending.status, 201)

  // An editor adds a record and then withholds its name, while the receiver is down: when it is up again, the
  // creation goes out as the public feed shows it now, without the name, and so does the withholding.
  const NAME = 'Halina Krasnianskaya'
  const added = await editor.post('/v1/prisoners').send({ name: { value: NAME, citations: [{ sourceId: SEED.articleA, quote: NAME }] } })
  t.equal(added.status, 201)
  const withheld = await editor
    .post(`/v1/prisoners/${added.body.id}/fields/name/withhold`)
    .set('if-match', added.headers.etag)
    .send({ reason: 'family-request', comment: 'The family asked.' })
  t.equal(withheld.status, 200)
  // Attempts made before the name was withheld carried it (it was public then); each attempt is built anew, so
  // once one made after the withholding has arrived, the receiver takes them.
  await until(() => receiver.received.some((entry) => entry.payload.type === 'record.create' && !entry.body.includes(NAME)), 'an attempt built after the withholding')
  receiver.answerWith(() => 200)
  await until(settled(database), 'the outbox settled')
  const got = receiver.accepted()
  t.same(got.map((entry) => [entry.payload.data.recordId, entry.payload.type]), [[added.body.id, 'record.create'], [added.body.id, 'record.withhold']], 'the editor\'s two changes, in order')
  t.ok(got.every((entry) => verify(secret, entry)))
  t.notOk(got.some((entry) => entry.body.includes(NAME)), 'the withheld name is in no delivery taken after it was withheld')
  t.notOk(receiver.received.some((entry) => entry.body.includes(pending.body.id) || entry.body.includes('Pending Person')), 'the pending submission is in none')
  const listed = (await editor.get(`/v1/webhooks/${(await editor.get('/v1/webhooks')).body.data[0].id}/deliveries`)).body.data as { subjectId: string }[]
  t.notOk(listed.some((delivery) => delivery.subjectId === pending.body.id), 'nor in the deliveries the subscriber reads')
})

t.test("events' changes go to webhooks that asked for them, and only those", async (t) => {
  const testApp = await buildTestApp(t, { webhooks: FAST })
  const { editor, volunteer, http, database } = testApp
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  const { secret } = (await editor.post('/v1/webhooks').send({ url: receiver.url, events: ['event.*'] })).body as { secret: string }
  const body = { kind: { value: 'release', citations: [{ sourceId: SEED.articleA, quote: 'have been released by the Belarusian authorities' }] } }
  const pending = await volunteer.post('/v1/events').send(body)
  t.equal(pending.status, 201, "a volunteer's event, pending")
  const created = await editor.post('/v1/events').send(body)
  t.equal(created.status, 201)
  await changeStatus(testApp, SEED.karnei) // a record's change: not asked for
  await until(settled(database), 'the outbox settled')
  const got = receiver.accepted()
  t.same(got.map((entry) => [entry.payload.type, entry.payload.data.eventId]), [['event.create', created.body.id]], "the editor's event only")
  t.ok(verify(secret, got[0]))
  const feed = (await http.get('/v1/changes/events?limit=1000')).body.data as { seq: number }[]
  t.same(got[0].payload.data, feed.find((change) => change.seq === got[0].payload.data.seq), "as the events' feed shows it")
})
