import t from 'tap'
import { buildTestApp } from '../../helpers/test-app'

t.test('an admin makes, lists and revokes keys; a revoked key stops working at once', async (t) => {
  const { admin, http } = await buildTestApp(t)
  const made = await admin.post('/v1/keys').send({ name: 'Ona Volunteer', role: 'volunteer' })
  t.equal(made.status, 201)
  t.match(made.body.key, /^ppr_[A-Za-z0-9_-]{43}$/)
  t.equal(made.body.createdBy, 'Ada Admin')
  t.equal(made.headers['cache-control'], 'no-store')

  const listed = (await admin.get('/v1/keys')).body.data
  const entry = listed.find((k: { id: string }) => k.id === made.body.id)
  t.equal(entry.name, 'Ona Volunteer')
  t.notOk('key' in entry, 'the secret is never listed')
  t.equal(entry.prefix, made.body.key.slice(0, 12))

  const ona = { authorization: `Bearer ${made.body.key}` }
  t.equal((await http.post('/v1/sources').set(ona).send({ title: 'A note', kind: 'other' })).status, 201)
  t.equal((await admin.delete(`/v1/keys/${made.body.id}`)).body.revokedAt !== null, true)
  const after = await http.post('/v1/sources').set(ona).send({ title: 'Another', kind: 'other' })
  t.equal(after.status, 401)

  const invalid = await admin.post('/v1/keys').send({ name: '', role: 'superuser' })
  t.equal(invalid.status, 422)
  t.same(invalid.body.errors.map((e: { path: string }) => e.path).sort(), ['/name', '/role'])
})
