/**
 * Reading as advocacy sites do: fewer fields (`fields=`), several values per filter, `Link: rel="next"` on every
 * paged list (RFC 8288), and labels in the readers' language (`lang=`, Accept-Language), beside the cited values.
 */
import t from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

type Record = { [key: string]: unknown; id: string; nationality?: { value: string | null }; status?: { value: string | null } }
type Http = Awaited<ReturnType<typeof buildTestApp>>['http']

const ids = (records: Record[]) => records.map((record) => record.id).sort()
const list = async (http: Http, query: string) => (await http.get(`/v1/prisoners?limit=200&${query}`)).body.data as Record[]

t.test('fields= selects fields of a list and of a record, id always kept, each selection its own ETag', async (t) => {
  const { http } = await buildTestApp(t)
  const whole = await http.get('/v1/prisoners?limit=200')
  const some = await http.get('/v1/prisoners?limit=200&fields=name,status')
  t.equal(some.status, 200)
  t.equal(some.body.data.length, whole.body.data.length)
  for (const [i, record] of (some.body.data as Record[]).entries()) {
    t.same(Object.keys(record), ['id', 'name', 'status'], `record ${i}: id, name and status only`)
    t.same(record.status, whole.body.data[i].status, 'each as the whole record has it')
  }
  const fewer = await http.get('/v1/prisoners?limit=200&fields=name')
  t.equal(new Set([whole.headers.etag, some.headers.etag, fewer.headers.etag]).size, 3, 'three selections, three ETags')
  t.equal((await http.get('/v1/prisoners?limit=200&fields=name,status').set('if-none-match', some.headers.etag)).status, 304)

  const searched = await http.get('/v1/prisoners').query({ q: 'Tikhanovsky', fields: 'status' })
  t.same(Object.keys(searched.body.data[0]), ['match', 'id', 'status'], 'a search keeps what matched')

  const url = `/v1/prisoners/${SEED.tsikhanouski}`
  const record = await http.get(url)
  const one = await http.get(`${url}?fields=releaseDate`)
  t.same(one.body, { id: SEED.tsikhanouski, releaseDate: record.body.releaseDate })
  t.not(one.headers.etag, record.headers.etag, 'not the ETag that If-Match takes')
  t.equal((await http.get(url)).headers.etag, record.headers.etag, 'the whole record keeps its ETag')

  const wrong = await http.get('/v1/prisoners?fields=name,birthplace')
  t.equal(wrong.status, 400)
  t.match(wrong.body.errors, [{ path: 'fields', message: /"birthplace" is not accepted/ }], 'says which field and why')
  t.equal((await http.get(`${url}?fields=`)).status, 400, 'an empty selection is refused')
})

t.test('several values per filter: comma-separated or repeated, the union of each', async (t) => {
  const { http, editor } = await buildTestApp(t)
  // The seed names one nationality (Tsikhanouski's BY): a Pole and a Latvian join him.
  const source = (await editor.post('/v1/sources').send({ title: 'A report', kind: 'news', language: 'en', content: 'Jan Nowak, a Polish citizen, and Anna Ozola, a Latvian, were freed.' })).body
  const person = (name: string, nationality: string, quote: string) =>
    editor
      .post('/v1/prisoners')
      .send({ name: { value: name, citations: [{ sourceId: source.id, quote: name }] }, nationality: { value: nationality, citations: [{ sourceId: source.id, quote }] } })
      .expect(201)
  await person('Jan Nowak', 'PL', 'a Polish citizen')
  await person('Anna Ozola', 'LV', 'a Latvian')
  const [by, pl, lv] = [await list(http, 'nationality=BY'), await list(http, 'nationality=PL'), await list(http, 'nationality=LV')]
  t.same([by.length, pl.length, lv.length], [1, 1, 1], 'a Belarusian, a Pole and a Latvian')
  t.same(ids(await list(http, 'nationality=BY,PL')), ids([...by, ...pl]), 'BY,PL: either')
  t.same(ids(await list(http, 'nationality=by,%20pl&nationality=LV')), ids([...by, ...pl, ...lv]), 'lower case, spaces and repeats as well')
  t.same(ids(await list(http, 'status=released&status=detained')), ids(await list(http, 'status=released')), 'status repeated')
  t.same(ids(await list(http, 'status=detained,deceased')), [], 'status comma-separated')
  const search = (await http.get('/v1/prisoners').query({ q: 'Tsikhanouski', nationality: 'PL,BY' })).body.data as Record[]
  t.same(ids(search), [SEED.tsikhanouski], 'with a search too')

  const wrong = await http.get('/v1/prisoners?nationality=BY,XX')
  t.equal(wrong.status, 400)
  t.match(wrong.body.errors, [{ path: 'nationality', message: /"XX" is not accepted: each must be an ISO 3166-1 alpha-2 code/ }])
  t.equal((await http.get('/v1/prisoners?status=released,free')).status, 400)
  t.equal((await http.get(`/v1/prisoners?${Array.from({ length: 51 }, () => 'nationality=BY').join('&')}`)).status, 400, 'at most 50 values')
})

t.test('Link: rel="next" beside next, on every paged list', async (t) => {
  const { http } = await buildTestApp(t)
  const linked = (header: string | undefined) => /^<(https?:\/\/[^>]+)>; rel="next"$/.exec(header ?? '')?.[1]
  const follow = async (first: string, next: (body: { next: string | null }) => string | null) => {
    let pages = 0
    for (let url: string | undefined = first; url; pages++) {
      const answer = await http.get(url)
      const link = linked(answer.headers.link)
      t.equal(link && new URL(link).searchParams.get(url.startsWith('/v1/changes') ? 'since' : 'cursor'), next(answer.body) ?? undefined, `${url}: the Link names the next page`)
      url = link && new URL(link).pathname + new URL(link).search
    }
    return pages
  }
  t.equal(await follow('/v1/prisoners?limit=5&sort=-name', (body) => body.next), 3, '14 records, 5 a page')
  t.equal(await follow('/v1/sources?limit=2', (body) => body.next), 2)
  t.equal(await follow(`/v1/sources/${SEED.articleA}/citations?limit=20`, (body) => body.next) > 1, true)
  t.equal(await follow('/v1/events?limit=1', (body) => body.next), 1)
  const feed = (body: { next: string | null; hasMore?: boolean }) => (body.hasMore ? body.next : null)
  t.equal(await follow('/v1/changes?limit=6', feed), 3)
  t.equal(await follow('/v1/changes/events?limit=1', feed), 1)
})

t.test('labels in five languages, from lang= or Accept-Language, beside values that stay as cited', async (t) => {
  const { http } = await buildTestApp(t)
  const url = `/v1/prisoners/${SEED.tsikhanouski}`
  const cited = (await http.get(url)).body
  t.equal(cited.labels, undefined, 'no labels unless asked')
  const expected = {
    en: { nationality: 'Belarus', status: 'released', destination: 'Lithuania' },
    be: { nationality: 'Беларусь', status: 'вызвалены', destination: 'Літва' },
    ru: { nationality: 'Беларусь', status: 'освобождён', destination: 'Литва' },
    pl: { nationality: 'Białoruś', status: 'uwolniony', destination: 'Litwa' },
    lt: { nationality: 'Baltarusija', status: 'paleistas', destination: 'Lietuva' },
  }
  for (const [language, labels] of Object.entries(expected)) {
    const answer = await http.get(`${url}?lang=${language}`)
    t.same(answer.body.labels, { language, ...labels }, language)
    const { labels: _labels, ...values } = answer.body
    t.same(values, cited, `${language}: every cited value as it was`)
  }
  t.same((await http.get(url).set('accept-language', 'de-DE, pl;q=0.8, be;q=0.9')).body.labels.language, 'be', 'Accept-Language: the first the registry speaks, by weight')
  t.equal((await http.get(url).set('accept-language', 'de-DE')).body.labels, undefined, 'none it speaks: no labels')
  const page = (await http.get('/v1/prisoners?limit=200&fields=status&lang=pl')).body.data as Record[]
  t.ok(page.every((record) => (record.labels as { status: string }).status === 'uwolniony' && !('nationality' in (record.labels as object))), 'in lists, of the selected fields')
  t.match((await http.get('/v1/prisoners?lang=de')).body.errors, [{ path: 'lang', message: 'lang must be one of en, be, ru, pl, lt' }])
  t.match((await http.get(url)).headers.vary, /Accept-Language/, 'caches keep the languages apart')
})
