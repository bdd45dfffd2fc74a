import { createHash } from 'node:crypto'
import t from 'tap'
import { buildTestApp, snapshot } from '../../helpers/test-app'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

const ARTICLE = [
  'Minsk, 21 June 2025. Fourteen political prisoners were freed on Saturday.',
  '',
  '“They are safe,” the minister said. He added: "More must follow."',
  '\tThe journalist Ihar Karnei was among them; he was taken to Vilnius.',
].join('\r\n')
/**
 * ARTICLE as it is stored when typed into a form: browsers send a form's line breaks as CRLF whatever was typed
 * or pasted, so they are stored as \n, the line breaks of the JSON API's texts. An uploaded file keeps its bytes.
 */
const TYPED = ARTICLE.replace(/\r\n/g, '\n')

t.test('a source through the multipart form: the pasted text is archived as typed, its line breaks as \\n', async (t) => {
  const { volunteer, http } = await buildTestApp(t)
  const created = await volunteer
    .post('/v1/sources')
    .field('title', 'Fourteen freed')
    .field('publisher', 'Example News')
    .field('url', 'https://example.org/fourteen')
    .field('publishedAt', '2025-06-21')
    .field('retrievedAt', '')
    .field('language', 'en')
    .field('kind', 'news')
    .field('note', '')
    .field('content', ARTICLE)
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.match(created.headers.location, /^\/v1\/sources\//)
  t.equal(created.body.contentSha256, sha256(TYPED), 'the SHA-256 of the text as typed')
  t.same([created.body.retrievedAt, created.body.note, created.body.publisher], [null, null, 'Example News'], 'an empty field is not given')
  const text = await http.get(`/v1/sources/${created.body.id}/content`)
  t.equal(text.text, TYPED, 'line breaks (as \\n), tabs and quotes kept')
})

t.test('a source through the urlencoded form', async (t) => {
  const { volunteer, http } = await buildTestApp(t)
  const created = await volunteer.post('/v1/sources').type('form').send({ title: 'Fourteen freed', kind: 'ngo', language: '', content: ARTICLE })
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.equal(created.body.contentSha256, sha256(TYPED))
  t.equal(created.body.language, null)
  t.equal((await http.get(`/v1/sources/${created.body.id}/content`)).text, TYPED)

  const dry = await volunteer.post('/v1/sources?dryRun=true').type('form').send({ title: 'Dry', kind: 'news' })
  t.same([dry.status, dry.headers['dry-run']], [200, 'true'], 'dryRun works for forms')
})

t.test('an uploaded .txt file is archived as its text, byte for byte', async (t) => {
  const { volunteer } = await buildTestApp(t)
  const created = await volunteer.post('/v1/sources').field('title', 'A letter').field('kind', 'other').attach('file', Buffer.from(ARTICLE, 'utf8'), 'letter.txt')
  t.equal(created.status, 201, JSON.stringify(created.body))
  t.equal(created.body.contentSha256, sha256(ARTICLE), 'its CRLF line breaks kept')
})

t.test('an uploaded .html page is reduced to its readable text, and a quote from that text cites it', async (t) => {
  const { volunteer, http } = await buildTestApp(t)
  const html = `<!doctype html><html><head><title>Page</title><style>p { color: red }</style><script>var x = 1</script></head>
    <body><nav><a href="/">Home</a></nav><h1>Fourteen freed</h1>
    <p>Fourteen political prisoners were <b>freed</b> on Saturday, <a href="https://example.org">the ministry</a> said.</p>
    <p>The journalist Ihar Karnei &amp; others were taken to Vilnius.</p><img src="x.png" alt="photo"></body></html>`
  const created = await volunteer.post('/v1/sources').field('title', 'Fourteen freed').field('kind', 'news').attach('file', Buffer.from(html), {
    filename: 'article.html',
    contentType: 'text/html',
  })
  t.equal(created.status, 201, JSON.stringify(created.body))
  const text = (await http.get(`/v1/sources/${created.body.id}/content`)).text
  t.equal(
    text,
    'Fourteen freed\n\nFourteen political prisoners were freed on Saturday, the ministry said.\n\nThe journalist Ihar Karnei & others were taken to Vilnius.',
    'headings and paragraphs on lines of their own; no markup, scripts, links or images',
  )
  const record = await volunteer.post('/v1/prisoners').send({
    name: { value: 'Ihar Karnei', citations: [{ sourceId: created.body.id, quote: 'The journalist Ihar Karnei & others' }] },
  })
  t.equal(record.status, 201, JSON.stringify(record.body))
  t.equal(record.body.name.citations[0].start, text.indexOf('The journalist'), 'located in the reduced text')
})

t.test('what a source form gets wrong is answered in its fields, and nothing is saved', async (t) => {
  const { volunteer, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  const wrong = await volunteer.post('/v1/sources').type('form').send({ kind: 'magazine', url: 'not a url', content: 'Text' })
  t.equal(wrong.status, 422)
  t.same(wrong.body.errors.map((e: { path: string }) => e.path).sort(), ['kind', 'title', 'url'])

  const both = await volunteer.post('/v1/sources').field('title', 'T').field('kind', 'news').field('content', 'x').attach('file', Buffer.from('y'), 'a.txt')
  t.equal(both.status, 422)
  t.equal(both.body.errors[0].path, 'file')

  const pdf = await volunteer.post('/v1/sources').field('title', 'T').field('kind', 'news').attach('file', Buffer.from('%PDF-1.4'), 'a.pdf')
  t.equal(pdf.status, 422)
  t.match(pdf.body.errors[0], { path: 'file', message: /\.txt or \.html/ })

  const latin1 = await volunteer.post('/v1/sources').field('title', 'T').field('kind', 'news').attach('file', Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'a.txt')
  t.equal(latin1.status, 422)
  t.match(latin1.body.errors[0], { path: 'file', message: /UTF-8/ })

  const twoFiles = await volunteer.post('/v1/sources').field('title', 'T').field('kind', 'news').attach('file', Buffer.from('a'), 'a.txt').attach('file2', Buffer.from('b'), 'b.txt')
  t.equal(twoFiles.status, 422, 'one file a form: a rule of its shape, not its size')
  t.match(twoFiles.body.errors, [{ path: 'file2', message: /one file per source/ }])

  const unknown = await volunteer.post('/v1/sources').type('form').send({ title: 'T', kind: 'news', colour: 'red' })
  t.equal(unknown.status, 422)
  t.same((await snapshot(database)), before)
})

t.test('routes that take no form still answer 415 to one', async (t) => {
  const { admin, editor } = await buildTestApp(t)
  const key = await admin.post('/v1/keys').type('form').send({ name: 'Someone', role: 'volunteer' })
  t.equal(key.status, 415)
  const review = await editor.post('/v1/prisoners/00000000-0000-0000-0000-000000000000/restore').field('comment', 'x')
  t.equal(review.status, 415)
})

t.test('dryRun typed as a form field means the query parameter: checked, nothing saved', async (t) => {
  const app = await buildTestApp(t)
  const before = await snapshot(app.database)
  const dry = await app.volunteer.post('/v1/sources').field('title', 'Fourteen freed').field('kind', 'news').field('content', TYPED).field('dryRun', 'true')
  t.equal(dry.status, 200, JSON.stringify(dry.body))
  t.equal(dry.headers['dry-run'], 'true')
  const urlencoded = await app.volunteer.post('/v1/sources').type('form').send({ title: 'Fourteen freed', kind: 'news', dryRun: 'true' })
  t.same([urlencoded.status, urlencoded.headers['dry-run']], [200, 'true'], 'urlencoded too')
  const record = await app.volunteer.post('/v1/prisoners').type('form').send({ dryRun: 'true', comment: 'nothing' })
  t.equal(record.status, 422, 'the record form takes it too, and goes on to check the record')
  t.notOk(record.body.errors.some((e: { path: string }) => e.path === 'dryRun'), JSON.stringify(record.body.errors))
  t.same(await snapshot(app.database), before, 'nothing saved')

  const both = await app.volunteer.post('/v1/sources?dryRun=true').type('form').send({ title: 'Fourteen freed', kind: 'news', dryRun: 'false' })
  t.equal(both.status, 422, 'a form and a query that disagree are refused')
  t.match(both.body.errors, [{ path: 'dryRun', message: /in the form .* in the query string/ }])
  const wrong = await app.volunteer.post('/v1/sources').type('form').send({ title: 'Fourteen freed', kind: 'news', dryRun: 'yes' })
  t.equal(wrong.status, 400, 'a dryRun that is not true or false is refused as the parameter is')
  t.same(await snapshot(app.database), before, 'still nothing saved')
})
