import t from 'tap'
import { SubmitterKeys1751200000000 } from '../../migrations/1751200000000-SubmitterKeys'
import { KeysService } from '../../src/core/access/api-keys'
import { buildTestApp } from '../helpers/test-app'

const record = (quote: string) => ({ status: { value: 'released', citations: [{ sourceId: 'bc68bab7-31f3-4417-87ac-f5fc2a17f171', quote } ] } })

t.test('the submitter-keys migration attributes old submissions only where the recorded name has exactly one key', async (t) => {
  const { app, database, volunteer } = await buildTestApp(t)
  const keys = new KeysService(database)
  const twin = [(await keys.create('Twin', 'volunteer', 'test')).key, (await keys.create('Twin', 'volunteer', 'test')).key]
  const asTwin = (await app.inject({ method: 'POST', url: '/v1/prisoners', headers: { authorization: `Bearer ${twin[0]}` }, payload: record('have been freed from jail') })).json()
  const unique = (await volunteer.post('/v1/prisoners').send(record('have been freed from jail'))).body

  // As an older release left them: no key ids recorded.
  await database.transaction(async (manager) => {
    await manager.query('UPDATE prisoners SET submitted_by = NULL')
    await SubmitterKeys1751200000000.attributeExisting(manager.queryRunner!)
  })

  const submitter = async (id: string) => (await database.get<{ by: string | null }>('SELECT submitted_by AS "by" FROM prisoners WHERE id = ?', [id]))?.by
  const vera = (await database.get<{ id: string }>("SELECT id FROM api_keys WHERE name = 'Vera Volunteer'"))!.id
  t.equal(await submitter(unique.id), vera, 'a name with one key: attributed to it')
  t.equal(await submitter(asTwin.id), null, 'a name two keys share: attributed to nobody, readable by editors only')
  t.equal((await volunteer.get(`/v1/prisoners/${unique.id}`)).status, 200, 'the volunteer still follows their submission')
})
