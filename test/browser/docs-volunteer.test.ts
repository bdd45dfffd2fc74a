import t from 'tap'
import { appInBrowser } from '../helpers/browser'

t.test('a volunteer adds a record through Swagger UI; it is public once an editor approves it', async (t) => {
  const { http, editor, keys, base, browser } = await appInBrowser(t)
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await page.goto(`${base}/docs`)

  // Authorize with the volunteer's key, as a volunteer would paste it.
  await page.getByRole('button', { name: /Authorize/ }).first().click()
  await page.getByLabel('auth-bearer-value').fill(keys.volunteer)
  await page.getByRole('button', { name: 'Apply credentials' }).click()
  await page.locator('.modal-ux button.btn-done').click()

  // Open "Add a record" (Try it out is on from the start) and Execute the example as it is: a dry run, saving nothing.
  const operation = page.locator('.opblock-post').filter({ has: page.locator('[data-path="/v1/prisoners"]') })
  await operation.locator('.opblock-summary').click()
  await operation.getByRole('button', { name: 'Execute' }).click()
  const status = operation.locator('.live-responses-table tbody .response-col_status').first()
  await status.waitFor()
  t.equal((await status.innerText()).trim(), '200', 'trying the example as it is checks it (dryRun=true is prefilled)')
  t.equal((await editor.get('/v1/review')).body.records.length, 0, 'and files nothing')

  // Saving for real is a choice: dryRun set to false.
  await operation.locator('tr[data-param-name="dryRun"] select').selectOption('false')
  await operation.getByRole('button', { name: 'Execute' }).click()
  await operation.locator('.live-responses-table tbody .response-col_status', { hasText: '201' }).first().waitFor()
  t.equal((await status.innerText()).trim(), '201', 'Swagger UI shows 201 Created')

  const body = JSON.parse(await operation.locator('.live-responses-table .response-col_description pre').first().innerText())
  t.equal(body.name.value, 'Natallia Dulina', 'the example went through as is')
  const publicIds = async () => ((await http.get('/v1/prisoners?limit=200')).body.data as { id: string }[]).map((r) => r.id)
  t.notOk((await publicIds()).includes(body.id), 'not public before review')

  const pending = await editor.get(`/v1/prisoners/${body.id}`)
  const approved = await editor.post(`/v1/prisoners/${body.id}/review`).set('if-match', pending.headers.etag).send({ decision: 'approve' })
  t.equal(approved.status, 200)
  t.ok((await publicIds()).includes(body.id), 'public once approved')
})
