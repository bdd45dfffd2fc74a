import Fastify from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app'
import { OPERATION_GROUPS } from '../../src/plugins/swagger.plugin'
import swaggerPlugin from '../../src/plugins/swagger.plugin'
import { buildTestApp } from '../helpers/test-app'

type Operation = { operationId: string; tags: string[] }

t.test("the document's tags are the groups of the volunteers' page, in order, each operation in exactly one", async (t) => {
  const { app } = await buildTestApp(t, { seed: false })
  const document = (await app.inject({ url: '/openapi.json' })).json() as { tags: { name: string; description: string }[]; paths: Record<string, Record<string, Operation>> }
  t.same(
    document.tags.map((tag) => tag.name),
    ['Add a source', 'Add a record', 'Follow my submissions', 'Review (editors)', 'Read the registry', 'Audit', 'Verify the history', 'Webhooks and the card', 'Keys', 'Meta'],
    'the tasks of volunteers first, then editors, readers, auditors, admins',
  )
  for (const tag of document.tags) t.ok(tag.description.length > 20, `${tag.name}: described`)
  const operations = Object.values(document.paths).flatMap((item) => Object.values(item))
  const tagOf = Object.fromEntries(operations.map((operation) => [operation.operationId, operation.tags]))
  for (const operation of operations) t.equal(operation.tags.length, 1, `${operation.operationId}: one tag`)
  t.same(
    Object.keys(tagOf).sort(),
    OPERATION_GROUPS.flatMap((group) => group.operations).sort(),
    'every operation of the document is in a group, and every operation of a group is in the document',
  )
  const inGroup = (name: string) => OPERATION_GROUPS.find((group) => group.name === name)!.operations
  t.same(inGroup('Add a source'), ['createSource', 'listSources', 'getSourcePassages', 'getSourceContent', 'recaptureSource'])
  t.same(inGroup('Add a record'), ['createPrisoner', 'updatePrisoner', 'createEvent', 'updateEvent', 'readCandidates', 'submitCandidates', 'importPrisoners', 'getImport'])
  t.same(inGroup('Follow my submissions'), ['listSubmissions', 'getPrisoner', 'getProposal', 'getPrisonerHistory', 'getEventProposal'])
  for (const group of OPERATION_GROUPS) for (const id of group.operations) t.same(tagOf[id], [group.name], `${id}: under ${group.name}`)
})

t.test('a documented route whose operationId is in no group stops the app at startup, with what to do', async (t) => {
  const { database } = await buildTestApp(t, { seed: false })
  const app = await buildApp({ database })
  t.teardown(() => app.close())
  t.throws(
    () => app.get('/v1/new-thing', { schema: { operationId: 'newThing', summary: 'New' } }, async () => ({})),
    /GET \/v1\/new-thing: operationId "newThing" is in no group: add it to OPERATION_GROUPS in src\/plugins\/swagger\.plugin\.ts/,
  )
  t.throws(() => app.get('/v1/unnamed', { schema: { summary: 'No id' } }, async () => ({})), /GET \/v1\/unnamed: no operationId/)
  t.doesNotThrow(() => app.get('/internal', { schema: { hide: true } }, async () => ({})), 'a hidden route needs no group')
})

t.test('the check is the plugin\'s own: any app that documents its routes with it gets it', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(swaggerPlugin, { responseSchemas: [] })
  t.throws(() => app.post('/x', { schema: { operationId: 'stray' } }, async () => ({})), /POST \/x: operationId "stray" is in no group/)
})

t.test('Swagger UI is set up for volunteers', async (t) => {
  const { app } = await buildTestApp(t, { seed: false })
  const initializer = (await app.inject({ url: '/docs/static/swagger-initializer.js' })).body
  for (const setting of ['"tryItOutEnabled":true', '"persistAuthorization":true', '"displayRequestDuration":true', '"defaultModelsExpandDepth":-1', '"docExpansion":"list"']) {
    t.ok(initializer.includes(setting), setting)
  }
  t.match(initializer, /"operationsSorter":function anonymous\(a,b\s*\)/, 'operations in the order of each task')
  // The sorter, as the browser gets it, orders the operations of a group as OPERATION_GROUPS does.
  const source = /"operationsSorter":(function anonymous[\s\S]*?\n\})/.exec(initializer)![1]
  const sorter = new Function(`return (${source})`)() as (a: unknown, b: unknown) => number
  const op = (id: string) => ({ getIn: (path: string[]) => (path.join('.') === 'operation.operationId' ? id : undefined) })
  const ids = ['getPrisonerHistory', 'getPrisoner', 'listSubmissions', 'getProposal']
  t.same(ids.map(op).sort(sorter).map((o) => o.getIn(['operation', 'operationId'])), ['listSubmissions', 'getPrisoner', 'getProposal', 'getPrisonerHistory'])
  const page = (await app.inject({ url: '/docs' })).body
  t.match(page, /<title>Political prisoner registry<\/title>/, "the registry's name as the page title")
  t.match(page, /theme\/registry\.css/, 'its top bar style')
  t.match(page, /theme\/favicon\.svg/, 'its icon')
})
