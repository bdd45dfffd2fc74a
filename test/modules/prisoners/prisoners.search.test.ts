import t from 'tap'
import { nameMatches } from '../../../src/core/search/name-keys'
import { SEED, buildTestApp } from '../../helpers/test-app'

interface Hit {
  id: string
  match: { claimId: string; value: string; rank: string; sameSpelling: boolean }
  name: { value: string }
}

const SPELLINGS = [
  'Siarhei Tsikhanouski',
  'Syarhei Tsikhanouski',
  'Sergei Tikhanovsky',
  'Сергей Тихановский',
  'Сяргей Ціханоўскі',
  'Siarhiej Cichanoŭski',
  'tsikhanouski',
  'TIKHANOVSKY',
]

t.test('every spelling and script finds Tsikhanouski, and says which name matched', async (t) => {
  const { http } = await buildTestApp(t)
  for (const q of SPELLINGS) {
    const res = await http.get('/v1/prisoners').query({ q })
    t.equal(res.status, 200)
    const hits = res.body.data as Hit[]
    t.equal(hits.length, 1, `${q}: one person`)
    t.equal(hits[0]?.id, SEED.tsikhanouski, `${q}: finds Tsikhanouski`)
  }
  const byAlternative = (await http.get('/v1/prisoners').query({ q: 'Syarhei Tsikhanouski' })).body.data[0] as Hit
  t.same([byAlternative.match.value, byAlternative.match.rank, byAlternative.match.sameSpelling], ['Syarhei Tsikhanouski', 'normal', true])
  const byPreferred = (await http.get('/v1/prisoners').query({ q: 'Сергей Тихановский' })).body.data[0] as Hit
  t.same([byPreferred.match.value, byPreferred.match.rank, byPreferred.match.sameSpelling], ['Siarhei Tsikhanouski', 'preferred', false])
})

t.test('Belarusian and Russian forms of other names find each other', async (t) => {
  const { http } = await buildTestApp(t)
  const cases: [string, string][] = [
    ['Galina Krasnyanskaya', 'Halina Krasnianskaya'],
    ['Кирилл Балаханов', 'Kiryl Balakhanau'],
    ['Igor Karney', 'Ihar Karnei'],
    ['Наталья Дулина', 'Natallia Dulina'],
    ['Khanada', 'Akihiro Haievski-Khanada'],
  ]
  for (const [q, name] of cases) {
    const hits = (await http.get('/v1/prisoners').query({ q })).body.data as Hit[]
    t.same(hits.map((h) => h.name.value), [name], `${q} → ${name}`)
  }
  t.same((await http.get('/v1/prisoners').query({ q: 'Ivan Petrov' })).body.data, [], 'an unknown name finds nobody')
  t.same((await http.get('/v1/prisoners').query({ q: 'Halina Dulina' })).body.data, [], 'every word must match one name')
})

t.test('a name added in another script is searchable at once, and ranks the same spelling first', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const source = await editor.post('/v1/sources').send({
    title: 'Вясна: вызваленыя палітвязні',
    kind: 'ngo',
    language: 'be',
    content: 'Сярод вызваленых — Сяргей Ціханоўскі і Ігар Карней.',
  })
  const read = await http.get(`/v1/prisoners/${SEED.karnei}`)
  const patched = await editor
    .patch(`/v1/prisoners/${SEED.karnei}`)
    .set('if-match', read.headers.etag)
    .send({
      name: {
        value: read.body.name.value,
        citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei' }],
        alternatives: [
          { value: 'Ihar Karney', citations: [{ sourceId: SEED.articleA, quote: 'Ihar Karney' }] },
          { value: 'Ігар Карней', citations: [{ sourceId: source.body.id, quote: 'Ігар Карней' }] },
        ],
      },
    })
  t.equal(patched.status, 200)
  const hit = (await http.get('/v1/prisoners').query({ q: 'Ігар Карней' })).body.data[0] as Hit
  t.equal(hit.id, SEED.karnei)
  t.same([hit.match.value, hit.match.sameSpelling], ['Ігар Карней', true])
  const russian = (await http.get('/v1/prisoners').query({ q: 'Игорь Карней' })).body.data[0] as Hit
  t.equal(russian.id, SEED.karnei)
})

t.test('search combines with filters and pages', async (t) => {
  const { http } = await buildTestApp(t)
  t.equal((await http.get('/v1/prisoners').query({ q: 'Tikhanovsky', nationality: 'BY' })).body.data.length, 1)
  t.equal((await http.get('/v1/prisoners').query({ q: 'Tikhanovsky', nationality: 'PL' })).body.data.length, 0)
  const bad = await http.get('/v1/prisoners').query({ q: '—…' })
  t.equal(bad.status, 400)
  t.equal(bad.body.errors[0].path, 'q')
})

t.test('Łacinka finds names stored in Cyrillic, and Cyrillic finds names stored in Łacinka', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const text = 'Вызваленыя: Таццяна Ліцоўская і Alaksandr Čarnionak.'
  const source = await editor.post('/v1/sources').send({ title: 'Вызваленыя', kind: 'ngo', language: 'be', content: text })
  const created: Record<string, string> = {}
  for (const name of ['Таццяна Ліцоўская', 'Alaksandr Čarnionak']) {
    const res = await editor.post('/v1/prisoners').send({ name: { value: name, citations: [{ sourceId: source.body.id, quote: name }] } })
    t.equal(res.status, 201)
    created[name] = res.body.id
  }
  const cases: [string, string][] = [
    ['Tacciana Licoŭskaja', 'Таццяна Ліцоўская'],
    ['Tatiana Litsovskaya', 'Таццяна Ліцоўская'],
    ['Аляксандр Чарнёнак', 'Alaksandr Čarnionak'],
    ['Aleksandr Chernionok', 'Alaksandr Čarnionak'],
  ]
  for (const [q, name] of cases) {
    const hits = (await http.get('/v1/prisoners').query({ q })).body.data as Hit[]
    t.same(hits.map((hit) => hit.id), [created[name]], `${q} → ${name}`)
  }
})

t.test('search finds exactly the people whose names match every word of the query, long names and Łacinka included', async (t) => {
  const { http, editor } = await buildTestApp(t)
  const names = [
    'Alaksandr Palak',
    'Aliaksandr Paliak',
    'Ivan Piotr Mikhail Ales Yury Dzmitry Raman Viktar Kiryl Siarhei',
    'Kiryl Siarheyevich',
    'Palak Kiryl',
  ]
  const source = await editor.post('/v1/sources').send({ title: 'Names', kind: 'ngo', language: 'be', content: names.join('. ') })
  for (const name of names) {
    const res = await editor.post('/v1/prisoners').send({ name: { value: name, citations: [{ sourceId: source.body.id, quote: name }] } })
    t.equal(res.status, 201, name)
  }
  // Every name claim the registry holds, preferred and alternative, as the reference to compare with.
  const records = (await http.get('/v1/prisoners').query({ limit: 200 })).body.data as {
    id: string
    name: { value: string | null; alternatives: { value: string }[] }
  }[]
  const claims = records.flatMap((r) => [r.name.value, ...r.name.alternatives.map((a) => a.value)].filter((v) => v !== null).map((value) => ({ id: r.id, value: value as string })))
  const queries = [
    'Pałak Paliak', // two words of the query, one word of the name read two ways
    'Kiryl Siarhei', // the ninth and tenth words of a long name
    'Siarhei Ivan',
    'Alaksandr Aliaksandr', // two spellings of one word
    'Aliaksandr Palak',
    'Palak Kiryl',
    'Kiryl',
    'Siarhei Tsikhanouski',
    'Tsikhanouski Syarhei',
    'Ihar Karney Karnei',
    'Ivan Petrov',
  ]
  for (const q of queries) {
    const expected = [...new Set(claims.filter((claim) => nameMatches(q, claim.value)).map((claim) => claim.id))].sort()
    const found = ((await http.get('/v1/prisoners').query({ q, limit: 200 })).body.data as Hit[]).map((hit) => hit.id).sort()
    t.same(found, expected, `${q}: ${expected.length} found`)
  }

  const first = await http.get('/v1/prisoners').query({ q: 'Kiryl', limit: 3 })
  const rest = await http.get('/v1/prisoners').query({ q: 'Kiryl', limit: 3, cursor: first.body.next })
  t.same([first.body.data.length, rest.body.data.length, rest.body.next], [3, 1, null], 'search results page')
  const anotherSearch = await http.get('/v1/prisoners').query({ q: 'Siarhei', limit: 3, cursor: first.body.next })
  t.same([anotherSearch.status, anotherSearch.body.errors?.[0].path], [400, 'cursor'], "a search's cursor pages only that search")
  const otherFilter = await http.get('/v1/prisoners').query({ q: 'Kiryl', status: 'released', limit: 3, cursor: first.body.next })
  t.equal(otherFilter.status, 400, 'nor the same words with other filters')
})
