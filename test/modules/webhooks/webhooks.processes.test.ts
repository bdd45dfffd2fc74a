import t from 'tap'
import { KeysService } from '../../../src/core/access/api-keys'
import { Database } from '../../../src/db/database'
import { SEED } from '../../helpers/test-app'
import { type ServerProcess, buildServer, startServer, stopAll } from '../../helpers/server-process'
import { freshDatabase, testEngine } from '../../helpers/test-database'
import { type Received, inOrderPerSubject, startReceiver, until, verify } from '../../helpers/webhook-receiver'

/**
 * Webhooks across real server processes (dist/): the outbox survives a kill -9 of the instance that was sending,
 * and two instances on one database share it without sending anything twice. On PostgreSQL with
 * TEST_DATABASE_URL, else on one SQLite file.
 */

const ENV = { WEBHOOK_ALLOW_PRIVATE: '127.0.0.1', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_BASE_MS: '50' }

const STATUSES = [
  { value: 'detained', citations: [{ sourceId: SEED.articleA, quote: 'more than 1,000 individuals are currently imprisoned' }] },
  { value: 'released', citations: [{ sourceId: SEED.articleB, quote: 'have been freed from jail' }] },
]

async function editorKey(location: string): Promise<Record<string, string>> {
  const database = await Database.open(location)
  const { key } = await new KeysService(database).create('Edgar Editor', 'editor', 'test')
  await database.close()
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
}

/** Changes the record's status to the other one, through `server`; answers the version it made. */
async function changeStatus(server: ServerProcess, editor: Record<string, string>, id: string): Promise<number> {
  const current = await fetch(`${server.base}/v1/prisoners/${id}`)
  const { status } = (await current.json()) as { status: { value: string } }
  const answer = await fetch(`${server.base}/v1/prisoners/${id}`, {
    method: 'PATCH',
    headers: { ...editor, 'if-match': current.headers.get('etag')! },
    body: JSON.stringify({ status: STATUSES.find(({ value }) => value !== status.value) }),
  })
  if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status}`)
  return ((await answer.json()) as { version: number }).version
}

async function register(server: ServerProcess, editor: Record<string, string>, url: string): Promise<string> {
  const answer = await fetch(`${server.base}/v1/webhooks`, { method: 'POST', headers: editor, body: JSON.stringify({ url, events: ['record.*'] }) })
  if (answer.status !== 201) throw new Error(`registering answered ${answer.status}: ${await answer.text()}`)
  return ((await answer.json()) as { secret: string }).secret
}

/** How many times the receiver took (2xx) each webhook-id. */
function takenPerId(accepted: Received[]): number[] {
  const counts = new Map<string, number>()
  for (const { id } of accepted) counts.set(id, (counts.get(id) ?? 0) + 1)
  return [...counts.values()]
}

t.before(() => buildServer())
t.teardown(() => stopAll())

t.test(`a kill -9 of the sending instance loses no delivery (${testEngine()})`, async (t) => {
  const fresh = await freshDatabase()
  t.teardown(() => fresh.remove())
  // The receiver holds every request (never answers) until the instance is killed.
  const receiver = await startReceiver(() => 'hold')
  t.teardown(() => receiver.close())
  const first = await startServer(fresh.location, { env: ENV })
  const editor = await editorKey(fresh.location)
  const secret = await register(first, editor, receiver.url)

  const made = [
    [SEED.karnei, await changeStatus(first, editor, SEED.karnei)],
    [SEED.karnei, await changeStatus(first, editor, SEED.karnei)],
    [SEED.tsikhanouski, await changeStatus(first, editor, SEED.tsikhanouski)],
    [SEED.karnei, await changeStatus(first, editor, SEED.karnei)],
  ]
  await until(() => receiver.received.length > 0, 'the first attempt')
  first.process.kill('SIGKILL')
  await new Promise((resolve) => first.process.once('exit', resolve))
  t.equal(receiver.accepted().length, 0, 'nothing was taken before the kill')

  receiver.answerWith(() => 200)
  await startServer(fresh.location, { env: ENV })
  await until(() => receiver.accepted().length >= made.length, 'every change after the restart')
  const accepted = receiver.accepted()
  t.same(
    accepted.map((entry) => [entry.payload.data.recordId, entry.payload.data.version]).sort(),
    made.sort(),
    'every change committed before the kill is delivered',
  )
  t.ok(inOrderPerSubject(accepted), 'each record in the order of its versions')
  t.same(takenPerId(accepted), accepted.map(() => 1), 'each taken once')
  t.ok(accepted.every((entry) => verify(secret, entry)), 'signed')
})

t.test(`two instances on one ${testEngine() === 'postgres' ? 'PostgreSQL database' : 'SQLite file'} share the outbox: each change sent once, in order`, async (t) => {
  const fresh = await freshDatabase()
  t.teardown(() => fresh.remove())
  const receiver = await startReceiver(() => 200)
  t.teardown(() => receiver.close())
  const [a, b] = await Promise.all([startServer(fresh.location, { env: ENV }), startServer(fresh.location, { env: ENV })])
  const editor = await editorKey(fresh.location)
  const secret = await register(a, editor, receiver.url)

  const records = [SEED.karnei, SEED.tsikhanouski]
  const made: [string, number][] = []
  for (let i = 0; i < 24; i++) {
    const id = records[i % 2]
    made.push([id, await changeStatus(i % 4 < 2 ? a : b, editor, id)])
  }
  await until(() => receiver.accepted().length >= made.length, 'every change')
  // A moment more for a duplicate to show up if one were on its way: the outbox must say all is delivered.
  await until(async () => {
    const page = await fetch(`${b.base}/v1/webhooks`, { headers: editor })
    const [{ id }] = ((await page.json()) as { data: { id: string }[] }).data
    const deliveries = ((await (await fetch(`${a.base}/v1/webhooks/${id}/deliveries`, { headers: editor })).json()) as { data: { status: string }[] }).data
    return deliveries.length === made.length && deliveries.every((delivery) => delivery.status === 'delivered')
  }, 'the outbox to say every delivery is delivered')
  const accepted = receiver.accepted()
  t.equal(receiver.received.length, made.length, 'as many requests as changes: none sent twice')
  t.same(accepted.map((entry) => [entry.payload.data.recordId, entry.payload.data.version]).sort(), [...made].sort(), 'every change')
  t.ok(inOrderPerSubject(accepted), 'each record in the order of its versions')
  t.ok(accepted.every((entry) => verify(secret, entry)), 'signed')
})
