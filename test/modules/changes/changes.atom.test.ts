/**
 * The Atom feeds (GET /v1/changes.atom, GET /v1/prisoners/{id}/changes.atom), read as a feed reader reads them:
 * parsed by a real feed parser from the npm registry, pages followed by their `next` link (RFC 5005).
 */
import t from 'tap'
import { parseFeed } from '@rowanmanning/feed-parser'
import { SEED, buildTestApp } from '../../helpers/test-app'

type Http = Awaited<ReturnType<typeof buildTestApp>>['http']
type Feed = ReturnType<typeof parseFeed>

const nextLink = (feed: Feed) => feed.element.findElementsWithName('link').find((link) => link.getAttribute('rel') === 'next')?.getAttribute('href') ?? null

/** Every page of a feed, from its first, by its `next` links, parsed. */
async function readAll(http: Http, first: string) {
  const pages: Feed[] = []
  for (let url: string | null = first; url; ) {
    const answer = await http.get(url.replace(/^https?:\/\/[^/]+/, ''))
    t.equal(answer.status, 200, `GET ${url}`)
    t.match(answer.headers['content-type'], /^application\/atom\+xml/)
    const feed = parseFeed(answer.text)
    pages.push(feed)
    url = nextLink(feed)
  }
  return { pages, items: pages.flatMap((page) => page.items) }
}

t.test("the registry's feed: a feed reader sees every public change, newest first, the 14 seeded records among them", async (t) => {
  const { http } = await buildTestApp(t)
  const { pages, items } = await readAll(http, '/v1/changes.atom?limit=4')
  const changes = (await http.get('/v1/changes?limit=1000')).body.data as { recordId: string; version: number }[]

  t.ok(pages.length > 1, 'more than one page at 4 a page')
  t.equal(items.length, changes.length, 'as many entries as the JSON change feed has changes')
  t.equal(new Set(items.map((item) => item.id)).size, items.length, 'entry ids are unique')
  const times = items.map((item) => item.updated!.getTime())
  t.same(times, [...times].sort((a, b) => b - a), 'newest first')
  const records = new Set(items.map((item) => item.url!.split('/').pop()))
  t.equal(records.size, 14, "the 14 seeded records, each its entry's link")
  t.ok(records.has(SEED.tsikhanouski))
  t.equal(pages[0].title, 'Political prisoner registry: every public change')
  t.equal(pages[0].updated?.getTime(), times[0], "the feed's updated is its newest entry's")
})

t.test("a record's feed: summaries in words, stable ids, ETags, and nothing withheld", async (t) => {
  const { http, editor } = await buildTestApp(t)
  const url = `/v1/prisoners/${SEED.tsikhanouski}/changes.atom`
  // One host, as a site's server always reaches the registry by (the test's own port changes with every request).
  const get = (path: string) => http.get(path).set('host', 'registry.example')
  const first = await get(url)
  const before = parseFeed(first.text)
  t.equal(before.title, 'Political prisoner registry: Siarhei Tsikhanouski')
  t.equal(before.items.length, 1, 'the seed added him once')
  t.match(before.items[0].description, /Release date set to 21 June 2025, cited from “RBC-Ukraine report/, 'a date in words, with the source by its title')
  t.match(before.items[0].description, /Nationality set to Belarus \(BY\)/, 'a country by its name')
  t.equal((await get(url).set('if-none-match', first.headers.etag)).status, 304, 'polling with the ETag: 304 while nothing changed')

  const record = (await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`))
  const citation = record.body.releaseDate.citations[0]
  await editor
    .patch(`/v1/prisoners/${SEED.tsikhanouski}`)
    .set('if-match', record.headers.etag)
    .send({ releaseDate: { value: '2025-06', citations: [{ sourceId: citation.sourceId, quote: citation.quote }] } })
    .expect(200)
  const changed = await get(url).set('if-none-match', first.headers.etag)
  t.equal(changed.status, 200, 'a change is a new ETag')
  const after = parseFeed(changed.text)
  t.equal(after.items.length, 2)
  t.match(after.items[0].description, /^Release date changed to June 2025, cited from “RBC-Ukraine report/, 'the newest first, in words')
  t.equal(after.items[1].id, before.items[0].id, 'an entry keeps its id when newer ones come')
  t.match(after.items[1].id, /^urn:uuid:[0-9a-f-]{36}$/)
  t.notMatch(changed.text, /Edgar Editor/, "the editor's name is not carried into the feed")

  const etag = (await editor.get(`/v1/prisoners/${SEED.tsikhanouski}`)).headers.etag
  await editor
    .post(`/v1/prisoners/${SEED.tsikhanouski}/fields/name/withhold?dryRun=false`)
    .set('if-match', etag)
    .send({ reason: 'safety', comment: 'Withheld for the test.' })
    .expect(200)
  const withheld = parseFeed((await get(url)).text)
  t.equal(withheld.title, 'Political prisoner registry: a record without a public name')
  t.match(withheld.items[0].description, /^Name withheld \(safety\)\.$/, 'the withholding itself is said, not the name')
  const ofHim = parseFeed((await get('/v1/changes.atom?limit=200')).text).items.filter((item) => item.url?.endsWith(SEED.tsikhanouski))
  for (const feed of [withheld.items, ofHim]) {
    t.equal(feed.length, 3)
    t.notMatch(JSON.stringify(feed.map(({ title, description }) => [title, description])), /Tsikhanouski/, "his name is in no entry of his, not in a source's title either")
  }
  t.equal((await http.get(`/v1/prisoners/${SEED.tsikhanouski}/changes.atom?before=WzBd`)).status, 200, 'a page past the first change is empty, not an error')
  t.equal((await http.get('/v1/prisoners/00000000-0000-4000-8000-000000000000/changes.atom')).status, 404, 'no such record: 404')
  t.equal((await http.get('/v1/changes.atom?before=not*a*cursor')).status, 400, 'a cursor made by hand: 400')
  // Past PostgreSQL's integer range: read as "after every change", never a 500.
  const far = Buffer.from(JSON.stringify([1e12])).toString('base64url')
  t.equal(parseFeed((await http.get(`/v1/changes.atom?before=${far}&limit=3`)).text).items.length, 3, 'a cursor beyond every change: the newest page')
  t.same((await http.get(`/v1/changes?since=${far}`)).body.data, [], 'and in the JSON feed, nothing after it')
})
