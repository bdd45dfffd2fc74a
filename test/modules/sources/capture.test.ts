import t, { type Test } from 'tap'
import { WARCParser } from 'warcio'
import { buildTestApp, snapshot } from '../../helpers/test-app'
import { BELARUSIAN, RUSSIAN, mutable, startFixtureServer } from '../../helpers/capture-fixtures'

// Capture by address (issue 27; docs/design.md §3.4): a source added by its URL alone is fetched safely, kept as WARC
// and its article archived as text, which quotes are then checked against (invariant 2). Everything the registry
// fetches here is served by a local server the test starts, on 127.0.0.2, the one address this app is allowed to
// fetch although it is loopback; 127.0.0.1 stays refused, also when a redirect leads there.

t.test('capture by address', async (t) => {
  const fixtures = await startFixtureServer('127.0.0.2', 'http://127.0.0.1:9/be')
  t.teardown(() => fixtures.close())
  const { http, volunteer, editor, database } = await buildTestApp(t, {
    seed: false,
    capture: { allowPrivate: ['127.0.0.2'], timeoutMs: 4000, maxBytes: 200_000, maxDecodedBytes: 1024 * 1024 },
  })
  const add = (url: string, extra: Record<string, unknown> = {}) => volunteer.post('/v1/sources').send({ url, kind: 'news', capture: true, ...extra })

  const refusal = async (t: Test, url: string, status: number, type: string, message: RegExp) => {
    const before = await snapshot(database)
    const answer = await add(url)
    t.equal(answer.status, status, JSON.stringify(answer.body))
    t.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(answer.body.type, `/problems/${type}`)
    t.match(answer.body.errors, [{ path: '/url', message }])
    t.same(await snapshot(database), before, 'nothing stored')
    return answer
  }

  t.test('a volunteer adds a Belarusian article by its address alone: the article is archived, not the menu or comments', async (t) => {
    const created = await add(fixtures.url('/be'))
    t.equal(created.status, 201, JSON.stringify(created.body))
    const source = created.body
    t.equal(source.title, `${BELARUSIAN.title} | Прыклад`, "the page's title stands in for the one left out")
    t.equal(source.language, 'be', 'as the page declares it')
    t.match(source.retrievedAt, /^\d{4}-\d{2}-\d{2}$/)
    t.equal(source.hasContent, true)
    t.match(source.captures, [
      { requestedUrl: fixtures.url('/be'), finalUrl: fixtures.url('/be'), status: 200, contentType: 'text/html; charset=utf-8', textChanged: false, capturedBy: 'Vera Volunteer' },
    ])
    t.match(source.captures[0].warcSha256, /^[0-9a-f]{64}$/)

    const text = (await http.get(`/v1/sources/${source.id}/content`)).text
    for (const paragraph of BELARUSIAN.paragraphs) t.ok(text.includes(paragraph), `the article holds: ${paragraph.slice(0, 30)}…`)
    for (const word of [...BELARUSIAN.menu, BELARUSIAN.comment, 'USD']) t.notOk(text.includes(word), `and not the page's ${word}`)

    const read = (await http.get(`/v1/sources/${source.id}`)).body
    t.same(read.captures, [{ ...source.captures[0], capturedBy: read.captures[0].capturedBy }], 'everyone reads the capture as it was answered')
    t.match(read.captures[0].capturedBy, /^volunteer [0-9a-f]{6}$/, 'but who captured it as a role and a pseudonym')
    t.notOk('warc' in read.captures[0] || 'text' in read.captures[0], 'metadata only')

    // A quote from the article is accepted on a record citation, and located in the captured text.
    const quote = 'Сярод вызваленых Сяргей Ціханоўскі'
    const record = await volunteer.post('/v1/prisoners').send({ name: { value: 'Сяргей Ціханоўскі', citations: [{ sourceId: source.id, quote }] } })
    t.equal(record.status, 201, JSON.stringify(record.body))
    t.equal(record.body.name.citations[0].start, [...text].length - [...text.slice(text.indexOf(quote))].length)
    const menu = await volunteer.post('/v1/prisoners').send({ name: { value: 'Гараскоп', citations: [{ sourceId: source.id, quote: 'Гараскоп' }] } })
    t.equal(menu.status, 422, 'a word of the menu is no quote of the source')

    // The WARC downloads and reads back with a WARC library: the request, then the response as served.
    const warc = await http.get(`/v1/sources/${source.id}/capture.warc`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
    t.equal(warc.status, 200)
    t.equal(warc.headers['content-type'], 'application/warc')
    const bytes = warc.body as Buffer
    t.equal(bytes.length, source.captures[0].warcSize)
    const records = []
    for await (const record of new WARCParser([bytes])) {
      records.push({
        type: record.warcType,
        uri: record.warcTargetURI,
        version: record.warcHeaders.protocol,
        status: record.httpHeaders?.statusCode,
        text: record.warcType === 'response' ? await record.contentText() : '',
      })
    }
    t.match(records, [
      { type: 'warcinfo', version: 'WARC/1.1' },
      { type: 'request', uri: fixtures.url('/be') },
      { type: 'response', uri: fixtures.url('/be'), status: 200 },
    ])
    t.ok(records[2].text.includes(BELARUSIAN.paragraphs[1]) && records[2].text.includes(BELARUSIAN.comment), 'the page whole, as served')

    t.test('capturing it again adds a capture and says whether the text changed; quotes keep their text', async (t) => {
      const same = await volunteer.post(`/v1/sources/${source.id}/captures`)
      t.equal(same.status, 201, JSON.stringify(same.body))
      t.equal(same.body.textChanged, false)
      mutable.paragraphs = [...BELARUSIAN.paragraphs.slice(0, 2), 'Абзац, дапісаны пазней.']
      t.teardown(() => void (mutable.paragraphs = BELARUSIAN.paragraphs))
      const changed = await editor.post(`/v1/sources/${source.id}/captures`)
      t.equal(changed.status, 201)
      t.equal(changed.body.textChanged, true)
      t.equal((await http.get(`/v1/sources/${source.id}/content`)).text, text, 'the archived text is still the one quotes were checked against')
      const captures = (await http.get(`/v1/sources/${source.id}`)).body.captures
      t.same(captures.map((capture: { textChanged: boolean }) => capture.textChanged), [false, false, true])
      t.match(captures[2], { capturedBy: /^editor [0-9a-f]{6}$/ }, 'the public sees who captured it as a role and a pseudonym')
      const file = await http.get(`/v1/sources/${source.id}/capture.warc`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => done(null, Buffer.concat(chunks)))
      })
      let responses = 0
      for await (const record of new WARCParser([file.body as Buffer])) if (record.warcType === 'response') responses += 1
      t.equal(responses, 3, 'one file, every capture')
      t.equal((await http.post(`/v1/sources/${source.id}/captures`)).status, 401)
    })
  })

  t.test('redirects are followed, each hop kept; the final address is recorded', async (t) => {
    const created = await add(fixtures.url('/moved'), { title: 'Moved' })
    t.equal(created.status, 201, JSON.stringify(created.body))
    t.match(created.body.captures, [{ requestedUrl: fixtures.url('/moved'), finalUrl: fixtures.url('/be'), status: 200 }])
    t.equal(created.body.title, 'Moved', 'a title given is kept')
  })

  t.test('gzip, windows-1251 and UTF-8 pages read alike', async (t) => {
    const plain = (await http.get(`/v1/sources/${(await add(fixtures.url('/be'))).body.id}/content`)).text
    const gzip = await add(fixtures.url('/be-gzip'))
    t.equal(gzip.status, 201, JSON.stringify(gzip.body))
    t.equal((await http.get(`/v1/sources/${gzip.body.id}/content`)).text, plain)

    const cp1251 = await add(fixtures.url('/ru-1251'))
    t.equal(cp1251.status, 201, JSON.stringify(cp1251.body))
    t.equal(cp1251.body.title, `${RUSSIAN.title} | Прыклад`)
    const utf8 = await add(fixtures.url('/ru-utf8'))
    const russian = (await http.get(`/v1/sources/${cp1251.body.id}/content`)).text
    t.equal((await http.get(`/v1/sources/${utf8.body.id}/content`)).text, russian, 'the windows-1251 page reads as its UTF-8 twin')
    for (const paragraph of RUSSIAN.paragraphs) t.ok(russian.includes(paragraph))
    t.notOk(russian.includes(RUSSIAN.menu[3]) || russian.includes(RUSSIAN.comment))

    const text = await add(fixtures.url('/plain'), { title: 'Plain' })
    t.equal(text.status, 201)
    t.equal((await http.get(`/v1/sources/${text.body.id}/content`)).text, BELARUSIAN.paragraphs.join('\n'))
  })

  t.test('loopback is refused, also through a redirect; so are other schemes and metadata addresses', async (t) => {
    await refusal(t, 'http://127.0.0.1:9/be', 422, 'address-refused', /^url resolves to 127\.0\.0\.1, a loopback, private/)
    await refusal(t, fixtures.url('/to-elsewhere'), 422, 'address-refused', /^url redirects to http:\/\/127\.0\.0\.1:9\/be, which resolves to 127\.0\.0\.1, a loopback/)
    await refusal(t, 'http://169.254.169.254/latest/meta-data/', 422, 'address-refused', /169\.254\.169\.254/)
    await refusal(t, 'http://[::ffff:127.0.0.1]:9/', 422, 'address-refused', /resolves to ::ffff:7f00:1/)
    await refusal(t, 'http://[::1]:9/', 422, 'address-refused', /::1/)
    // The suite's app fetches nothing beyond this machine (CAPTURE_ALLOW_PUBLIC=false): a name is not even resolved.
    await refusal(t, 'https://example.org/article', 422, 'address-refused', /the name example\.org, and this registry fetches only the addresses it is given/)
    await refusal(t, 'http://93.184.215.14/', 422, 'address-refused', /a public address, and this registry fetches none/)
    await refusal(t, fixtures.url('/to-ftp'), 422, 'address-refused', /not http:\/\/ or https:\/\//)
    await refusal(t, fixtures.url('/loop'), 422, 'address-refused', /redirects more than 5 times/)
  })

  t.test('what is not a page is answered plainly', async (t) => {
    await refusal(t, fixtures.url('/missing'), 422, 'address-refused', /answered 404/)
    await refusal(t, fixtures.url('/paper.pdf'), 422, 'address-refused', /serves application\/pdf, not a web page or a text/)
    await refusal(t, fixtures.url('/broken'), 502, 'upstream-failed', /answered 500/)
    await refusal(t, 'http://127.0.0.2:9/nothing-listens', 502, 'upstream-failed', /could not be reached/)
  })

  t.test('limits: time, bytes, decompressed size', async (t) => {
    await refusal(t, fixtures.url('/slow'), 504, 'upstream-timeout', /within 4 s/)
    await refusal(t, fixtures.url('/huge'), 422, 'address-refused', /more than the 200000 bytes a capture may read/)
    await refusal(t, fixtures.url('/bomb'), 422, 'address-refused', /larger than 1 MB once decompressed/)
    t.equal((await http.get('/health')).status, 200, 'and the server goes on answering')
  })

  t.test('capture asks for the address and no text', async (t) => {
    const noUrl = await volunteer.post('/v1/sources').send({ kind: 'news', capture: true })
    t.equal(noUrl.status, 422)
    t.match(noUrl.body.errors, [{ path: '/url', message: /url is needed/ }])
    const both = await add(fixtures.url('/be'), { content: 'Pasted too.' })
    t.equal(both.status, 422)
    t.match(both.body.errors, [{ path: '/content' }])
    const noTitle = await volunteer.post('/v1/sources').send({ url: fixtures.url('/be'), kind: 'news' })
    t.equal(noTitle.status, 422, 'without capture, a title is needed as before')
    t.match(noTitle.body.errors, [{ path: '/title' }])
  })

  t.test("through Swagger UI's form: url and capture alone", async (t) => {
    const created = await volunteer.post('/v1/sources').type('form').send({ url: fixtures.url('/be'), kind: 'news', capture: 'true' })
    t.equal(created.status, 201, JSON.stringify(created.body))
    t.equal(created.body.captures.length, 1)
    const refused = await volunteer.post('/v1/sources').type('form').send({ url: fixtures.url('/missing'), kind: 'news', capture: 'true' })
    t.equal(refused.status, 422)
    t.match(refused.body.errors, [{ path: 'url', message: /answered 404/ }])
  })

  t.test('who reads the WARC: a private source stays private; a redacted one is for editors', async (t) => {
    const secret = await editor.post('/v1/sources').send({ url: fixtures.url('/be'), kind: 'other', capture: true, private: true })
    t.equal(secret.status, 201, JSON.stringify(secret.body))
    t.equal((await http.get(`/v1/sources/${secret.body.id}/capture.warc`)).status, 404)
    t.equal((await volunteer.get(`/v1/sources/${secret.body.id}/capture.warc`)).status, 404)
    t.equal((await editor.get(`/v1/sources/${secret.body.id}/capture.warc`)).status, 200)
    t.equal((await volunteer.post(`/v1/sources/${secret.body.id}/captures`)).status, 404)

    const open = (await add(fixtures.url('/be'))).body
    const text = (await http.get(`/v1/sources/${open.id}/content`)).text
    const start = [...text.slice(0, text.indexOf('Ціханоўскі'))].length
    const redacted = await editor.post(`/v1/sources/${open.id}/redactions`).send({ start, end: start + 10, reason: 'family-request', comment: 'test' })
    t.equal(redacted.status, 201, JSON.stringify(redacted.body))
    t.equal((await http.get(`/v1/sources/${open.id}/capture.warc`)).status, 404, 'the page holds the redacted words whole')
    t.equal((await editor.get(`/v1/sources/${open.id}/capture.warc`)).status, 200)

    const pasted = await volunteer.post('/v1/sources').send({ title: 'Pasted', kind: 'news', content: 'Some text.' })
    t.equal((await http.get(`/v1/sources/${pasted.body.id}/capture.warc`)).status, 404, 'a pasted text has no capture')
    t.equal((await volunteer.post(`/v1/sources/${pasted.body.id}/captures`)).status, 422, 'nor an address to capture')
    t.equal((await editor.post('/v1/sources').send({ title: 'Other', kind: 'news', url: fixtures.url('/be') })).status, 201)
  })

  t.test('only editors and the adder capture again', async (t) => {
    const mine = (await editor.post('/v1/sources').send({ url: fixtures.url('/be'), kind: 'news', capture: true })).body
    const other = await volunteer.post(`/v1/sources/${mine.id}/captures`)
    t.equal(other.status, 403)
  })
})
