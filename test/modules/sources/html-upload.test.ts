import t from 'tap'
import { MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from '../../../src/core/evidence/html-text'
import { buildTestApp, snapshot } from '../../helpers/test-app'

// Invariant 10 (docs/design.md §2): an uploaded page is read within bounds of size and depth, and one beyond them is
// refused in plain words, before the work that grows with it (on main, the first of these ended the process).

const upload = (agent: Awaited<ReturnType<typeof buildTestApp>>['volunteer'], html: string) =>
  agent.post('/v1/sources').field('title', 'A page').field('kind', 'news').attach('file', Buffer.from(html), { filename: 'page.html', contentType: 'text/html' })

t.test('a page of 230,000 sibling tags is refused as far larger than an article, and the server goes on answering', async (t) => {
  const { volunteer, http, database } = await buildTestApp(t)
  const before = await snapshot(database)
  const flat = await upload(volunteer, '<p>' + '<b>x</b>'.repeat(230_000) + '</p>')
  t.equal(flat.status, 422)
  t.equal(flat.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(flat.body.errors, [{ path: 'file', message: /more than 20,000 HTML elements.*upload that/ }])
  t.same(await snapshot(database), before, 'nothing stored')
  t.equal((await http.get('/health')).status, 200, 'the next request is answered')
})

t.test('a page of 10,000 nested elements is refused in plain words, not with an internal message', async (t) => {
  const { volunteer } = await buildTestApp(t)
  const nested = await upload(volunteer, '<div>'.repeat(10_000) + 'x' + '</div>'.repeat(10_000))
  t.equal(nested.status, 422)
  t.match(nested.body.errors, [{ path: 'file', message: new RegExp(`more than ${MAX_HTML_DEPTH} levels deep`) }])
  t.notMatch(nested.body.detail, /call stack|Maximum|RangeError/)
})

t.test('pages within the bounds are read as before, up to the bounds themselves', async (t) => {
  const { volunteer, http } = await buildTestApp(t)
  const deep = await upload(volunteer, '<div>'.repeat(MAX_HTML_DEPTH - 1) + '<p>Deep words.</p>' + '</div>'.repeat(MAX_HTML_DEPTH - 1))
  t.equal(deep.status, 201, JSON.stringify(deep.body))
  t.equal((await http.get(`/v1/sources/${deep.body.id}/content`)).text, 'Deep words.')

  // Unclosed <p>s are closed by the next one, as browsers do: they never nest, however many there are.
  const many = await upload(volunteer, '<p>Item'.repeat(MAX_HTML_ELEMENTS))
  t.equal(many.status, 201, JSON.stringify(many.body))
  t.equal((await http.get(`/v1/sources/${many.body.id}/content`)).text, Array(MAX_HTML_ELEMENTS).fill('Item').join('\n\n'))

  const oneMore = await upload(volunteer, '<p>Item'.repeat(MAX_HTML_ELEMENTS + 1))
  t.equal(oneMore.status, 422)
})
