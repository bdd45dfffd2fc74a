import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import t from 'tap'
import { appInBrowser } from '../helpers/browser'

const ARTICLE = [
  'Maryna Zolatava, the former editor-in-chief of Tut.by, was released on 21 June 2025.',
  'She was among the political prisoners freed that day and taken to Lithuania.',
  'Zolatava, a Belarusian journalist, had been held since May 2021.',
  'Марына Золатава, былая галоўная рэдактарка Tut.by, вызваленая 21 чэрвеня 2025 года.',
].join('\n\n')

/** One operation on /docs, found as a volunteer finds it: by its method and path. */
function operation(page: Page, method: 'get' | 'post', path: string): Locator {
  return page.locator(`.opblock-${method}`).filter({ has: page.locator(`[data-path="${path}"]`) })
}

/**
 * Clicks Execute and waits for the answer Swagger UI shows: its status and its body as displayed. A previous
 * answer is cleared first (the Clear button next to Execute), so that it cannot be read for the new one.
 */
async function execute(op: Locator): Promise<{ status: string; text: string }> {
  const responses = op.locator('.live-responses-table')
  const clear = op.getByRole('button', { name: 'Clear' })
  if (await clear.isVisible()) {
    await clear.click()
    await responses.waitFor({ state: 'detached' })
  }
  await op.getByRole('button', { name: 'Execute' }).click()
  await responses.locator('tbody .response-col_status').first().waitFor()
  const status = (await responses.locator('tbody .response-col_status').first().innerText()).trim()
  const text = await responses.locator('.response-col_description pre').first().innerText()
  return { status, text }
}

async function authorize(page: Page, key: string): Promise<void> {
  await page.getByRole('button', { name: /Authorize/ }).first().click()
  await page.getByLabel('auth-bearer-value').fill(key)
  await page.getByRole('button', { name: 'Apply credentials' }).click()
  await page.locator('.modal-ux button.btn-done').click()
}

/** A form field of the request body, by its name. */
const field = (op: Locator, name: string) => op.locator(`tr[data-property-name="${name}"] td.parameters-col_description`).locator('input[type="text"], textarea, select').first()
/**
 * Types into a list as a person does: focused, then the keys, which the browser's type-ahead turns into the first
 * option that begins with them.
 */
async function typeInto(list: Locator, text: string): Promise<void> {
  await list.focus()
  await list.page().keyboard.type(text)
  await list.blur()
}
const selectedText = (list: Locator) => list.evaluate((el) => {
  const select = el as unknown as { selectedIndex: number; options: { text: string }[] }
  return select.options[select.selectedIndex]?.text
})
/** A parameter (query, path, header), by its name. */
const param = (op: Locator, name: string) => op.locator(`tr[data-param-name="${name}"]`).locator('input, select').first()

// docs/api.md's pictures are remade with DOCS_SCREENSHOTS=docs/images; otherwise they go to the temporary folder.
const screenshot = (name: string) => path.join(process.env.DOCS_SCREENSHOTS ?? tmpdir(), name)

t.test('a volunteer fills in the forms of Swagger UI: a source, a record with mistakes, then right; an editor approves it', async (t) => {
  const { http, keys, base, browser } = await appInBrowser(t)
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const page = await context.newPage()
  await page.goto(`${base}/docs`)
  await authorize(page, keys.volunteer)

  // 1. Add a source: the form (multipart/form-data), the article pasted into `content`.
  const addSource = operation(page, 'post', '/v1/sources')
  await addSource.locator('.opblock-summary').click()
  await addSource.getByLabel('Request content type').selectOption('multipart/form-data')
  await field(addSource, 'title').fill('Journalist Maryna Zolatava freed and taken to Lithuania')
  await field(addSource, 'publisher').fill('Example News')
  await field(addSource, 'url').fill('https://example.org/zolatava-freed')
  await field(addSource, 'publishedAt').fill('2025-06-21')
  await field(addSource, 'retrievedAt').fill('2025-06-22')
  await field(addSource, 'kind').selectOption('news')
  // The fields come prefilled with the examples: what is not this source's is cleared (an empty field is not sent).
  await field(addSource, 'note').fill('')
  // Copied to the clipboard (no DOM types here: the page's navigator reached through globalThis).
  await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }).navigator.clipboard.writeText(text), ARTICLE)
  await field(addSource, 'content').fill('')
  await field(addSource, 'content').click()
  await page.keyboard.press('Control+V')
  await param(addSource, 'dryRun').selectOption('false')
  await field(addSource, 'content').evaluate((el) => el.scrollIntoView({ block: 'center' }))
  await page.screenshot({ path: screenshot('volunteer-source-pasted.png') })
  const added = await execute(addSource)
  t.equal(added.status, '201', 'the source is added: 201')
  const source = JSON.parse(added.text) as { id: string; note: string | null }
  t.equal(source.note, null, 'the example note, emptied, is not sent')
  const archived = (await http.get(`/v1/sources/${source.id}/content`)).text
  t.equal(archived, ARTICLE, 'the article is archived as pasted, its paragraphs and line breaks included')

  // 2. Add a record, as a form, with the usual mistakes, checked (dryRun=true, prefilled) in one submission.
  const addRecord = operation(page, 'post', '/v1/prisoners')
  await addRecord.locator('.opblock-summary').click()
  await addRecord.getByLabel('Request content type').selectOption('multipart/form-data')
  await field(addRecord, 'sourceId').fill(source.id)
  await field(addRecord, 'name').fill('Maryna Zolatava')
  await field(addRecord, 'nameQuote').fill('') // the name, with no quote
  // Countries are lists named first ("Belarus (BY)"): typing "Belarus" into the list picks Belarus, not BE (Belgium).
  await typeInto(field(addRecord, 'nationality'), 'Belarus')
  t.equal(await selectedText(field(addRecord, 'nationality')), 'Belarus (BY)', 'typing "Belarus" in the nationality list picks Belarus')
  await field(addRecord, 'nationalityQuote').fill('a Belarusian journalist')
  await field(addRecord, 'status').selectOption('released')
  await field(addRecord, 'statusQuote').fill('She was among the political prisoners freeed that day') // a typo
  await field(addRecord, 'sentenceText').fill('')
  await field(addRecord, 'sentenceQuote').fill('')
  await field(addRecord, 'releaseDate').fill('21.06.2025') // not year-month-day
  await field(addRecord, 'releaseDateQuote').fill('released on 21 June 2025')
  await typeInto(field(addRecord, 'destinationCountry'), 'Lithuania')
  t.equal(await selectedText(field(addRecord, 'destinationCountry')), 'Lithuania (LT)', 'typing "Lithuania" picks Lithuania, not LI')
  await field(addRecord, 'destinationPlace').fill('')
  await field(addRecord, 'destinationQuote').fill('taken to Lithuania')
  await field(addRecord, 'comment').fill('From the Example News article on her release.')
  const refused = await execute(addRecord)
  t.equal(refused.status, '422', 'one answer: 422')
  const problem = JSON.parse(refused.text) as { errors: { path: string; message: string }[] }
  const paths = problem.errors.map((e) => e.path)
  for (const name of ['nameQuote', 'statusQuote', 'releaseDate']) t.ok(paths.some((p) => p.startsWith(name)), `an error names ${name}: ${paths.join(', ')}`)
  t.match(problem.errors.find((e) => e.path.startsWith('statusQuote'))?.message, /Closest passage: “She was among the political prisoners freed that day/, 'the typo is answered with the closest passage')
  const answer = addRecord.locator('.live-responses-table').first()
  await answer.evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.screenshot({ path: screenshot('volunteer-mistakes.png'), clip: { x: 0, y: 0, width: 1280, height: 560 } })

  // 3. Find the words to quote: GET /v1/sources/{id}/passages, a few words typed as a volunteer would: a name in
  // Cyrillic, a name in Latin letters, a date, a phrase (Swagger UI checks the parameter's pattern before sending).
  const passages = operation(page, 'get', '/v1/sources/{id}/passages')
  await passages.locator('.opblock-summary').click()
  await param(passages, 'id').fill(source.id)
  const search = async (text: string): Promise<string[]> => {
    await param(passages, 'text').fill(text)
    const found = await execute(passages)
    t.equal(found.status, '200', `passages found for “${text}”`)
    return (JSON.parse(found.text) as { data: { text: string }[] }).data.map((passage) => passage.text)
  }
  t.match((await search('Марына Золатава'))[0], /^Марына Золатава, былая галоўная рэдактарка/, 'a Cyrillic name finds its paragraph')
  t.match((await search('Zolatava'))[0], /Zolatava/, 'a Latin name finds a passage naming her')
  t.match((await search('21 June 2025'))[0], /released on 21 June 2025/, 'a date finds the sentence that holds it')
  const sentence = (await search('prisoners freed'))[0]
  t.equal(sentence, 'She was among the political prisoners freed that day and taken to Lithuania.', 'the sentence, as archived')

  // Fix the form: the quotes copied from the article, the date as year-month-day; check it again.
  await field(addRecord, 'nameQuote').fill('Maryna Zolatava, the former editor-in-chief of Tut.by')
  await field(addRecord, 'statusQuote').fill(sentence)
  await field(addRecord, 'releaseDate').fill('2025-06-21')
  const checked = await execute(addRecord)
  t.equal(checked.status, '200', 'checked: 200, nothing saved')
  t.equal((await http.get('/v1/prisoners?q=Maryna%20Zolatava')).body.data.length, 0, 'and nothing public')

  await param(addRecord, 'dryRun').selectOption('false')
  const saved = await execute(addRecord)
  t.equal(saved.status, '201', 'saved: 201')
  const record = JSON.parse(saved.text) as { id: string; name: { value: string }; nationality: { value: string }; releaseDate: { value: string }; destination: { value: { country: string } } }
  t.same(
    [record.name.value, record.nationality.value, record.releaseDate.value, record.destination.value.country],
    ['Maryna Zolatava', 'BY', '2025-06-21', 'LT'],
    'the record as typed into the form',
  )
  await addRecord.locator('.live-responses-table').first().evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.screenshot({ path: screenshot('volunteer-record-added.png'), clip: { x: 0, y: 0, width: 1280, height: 880 } })

  // 4. Follow my submissions: the new record waits for an editor; with the key, it can be read in full.
  const submissions = operation(page, 'get', '/v1/submissions')
  await submissions.locator('.opblock-summary').click()
  const mine = await execute(submissions)
  t.equal(mine.status, '200', 'my submissions: 200')
  const listed = (JSON.parse(mine.text) as { records: { id: string; state: string }[] }).records.find((r) => r.id === record.id)
  t.equal(listed?.state, 'pending', 'my submission is pending')
  const readOne = operation(page, 'get', '/v1/prisoners/{id}')
  await readOne.locator('.opblock-summary').click()
  await param(readOne, 'id').fill(record.id)
  const read = await execute(readOne)
  t.equal(read.status, '200', 'with my key, my pending record reads 200')
  t.equal((await http.get(`/v1/prisoners/${record.id}`)).status, 404, 'without a key it is not there yet')

  // 5. An editor, in the same page: Logout, Authorize with the editor's key.
  await page.getByRole('button', { name: /Authorize/ }).first().click()
  await page.locator('.modal-ux button', { hasText: 'Logout' }).click() // its accessible name is "Remove authorization"
  await page.getByLabel('auth-bearer-value').fill(keys.editor)
  await page.getByRole('button', { name: 'Apply credentials' }).click()
  await page.locator('.modal-ux button.btn-done').click()

  const queue = operation(page, 'get', '/v1/review')
  await queue.locator('.opblock-summary').click()
  const waiting = await execute(queue)
  t.equal(waiting.status, '200', 'the review queue: 200')
  // The ETag copied as the answer shows it, in JSON: "\"…\"", backslashes and all.
  const shown = waiting.text.slice(waiting.text.indexOf(record.id))
  const etag = /"etag": "((?:[^"\\]|\\.)*)"/.exec(shown)?.[1] ?? ''
  t.match(etag, /^\\".+\\"$/, `the ETag as shown: ${etag}`)

  const review = operation(page, 'post', '/v1/prisoners/{id}/review')
  await review.locator('.opblock-summary').click()
  await param(review, 'id').fill(record.id)
  await param(review, 'if-match').fill(etag)
  // The body is JSON only (no form); its example is already {"decision": "approve", ...}: left as it is.
  t.match(await review.locator('.body-param__text').inputValue(), /"decision": "approve"/, 'the example approves')
  // Tried as it is, the approval is checked, not made (dryRun is prefilled here too).
  const tried = await execute(review)
  t.equal(tried.status, '200', 'the approval checked: 200')
  t.equal((await http.get(`/v1/prisoners/${record.id}`)).status, 404, 'and not made: the record is not public yet')
  await param(review, 'dryRun').selectOption('false')
  const approved = await execute(review)
  t.equal(approved.status, '200', 'approved: 200')
  t.equal((await http.get(`/v1/prisoners/${record.id}`)).status, 200, 'the record is public')
})
