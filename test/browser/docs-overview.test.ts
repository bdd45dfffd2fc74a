import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { appInBrowser } from '../helpers/browser'

// The README's picture is made with DOCS_SCREENSHOT=docs/images/docs-overview.png; otherwise it goes to the temporary folder.
const SCREENSHOT = process.env.DOCS_SCREENSHOT ?? path.join(tmpdir(), 'docs-overview.png')

t.test("the volunteers' page: under 1 MB to download, their tasks first, the registry's name on top", async (t) => {
  const { base, browser } = await appInBrowser(t)
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  // What the browser downloads: every response of the page, headers and body as they came over the wire.
  const downloads: Promise<{ url: string; bytes: number; encoding?: string }>[] = []
  page.on('requestfinished', (request) =>
    downloads.push(
      Promise.all([request.sizes(), request.response()]).then(([sizes, response]) => ({
        url: request.url().slice(base.length),
        bytes: sizes.responseHeadersSize + sizes.responseBodySize,
        encoding: response?.headers()['content-encoding'],
      })),
    ),
  )
  await page.goto(`${base}/docs`)
  await page.locator('.opblock-tag-section').first().waitFor({ timeout: 15_000 })
  await page.waitForLoadState('networkidle')

  const files = await Promise.all(downloads)
  const total = files.reduce((sum, file) => sum + file.bytes, 0)
  t.comment(`/docs: ${files.length} files, ${total} bytes downloaded`)
  for (const file of files) t.comment(`  ${file.url}: ${file.bytes} bytes${file.encoding ? ` (${file.encoding})` : ''}`)
  t.ok(files.some((file) => file.url.endsWith('/swagger-ui-bundle.js') && file.encoding === 'br'), 'the bundle comes compressed (br)')
  t.ok(total < 1_000_000, `under 1,000,000 bytes in all (${total})`)

  const groups = await page.locator('.opblock-tag-section h3 .nostyle span').allInnerTexts()
  t.same(groups, ['Add a source', 'Add a record', 'Follow my submissions', 'Review (editors)', 'Read the registry', 'Audit', 'Verify the history', 'Webhooks and the card', 'Keys', 'Meta'], 'the groups, in order')
  const first = page.locator('.opblock-tag-section').first()
  t.same(
    await first.locator('.opblock-summary-path').allInnerTexts(),
    ['/v1/sources', '/v1/sources', '/v1/sources/{id}/passages', '/v1/sources/{id}/content', '/v1/sources/{id}/captures'],
    '"Add a source": add it, find it, the sentences to quote, the whole text, capture its page again',
  )
  t.same(await first.locator('.opblock-summary-method').allInnerTexts(), ['POST', 'GET', 'GET', 'GET', 'POST'])
  const follow = page.locator('.opblock-tag-section').nth(2)
  t.same(await follow.locator('.opblock-summary-path').first().innerText(), '/v1/submissions', '"Follow my submissions" starts with my submissions')

  t.equal(await page.locator('.topbar .download-url-wrapper').isVisible(), false, 'no "Explore" box')
  const title = await page.evaluate("getComputedStyle(document.querySelector('.topbar-wrapper > a.link'), '::after').content")
  t.equal(title, '"Political prisoner registry"', "the registry's name in the top bar")
  t.equal(await page.title(), 'Political prisoner registry')
  t.equal(await page.locator('section.models').count(), 0, 'no Schemas section')

  if (process.env.DOCS_SCREENSHOT) mkdirSync(path.dirname(SCREENSHOT), { recursive: true })
  await page.screenshot({ path: SCREENSHOT, fullPage: false })
  t.comment(`screenshot: ${SCREENSHOT}`)

  // Try it out is on: an operation opens with its form and Execute.
  await first.locator('.opblock-summary').first().click()
  t.ok(await first.getByRole('button', { name: 'Execute' }).isVisible(), 'Execute at once, no "Try it out" to click first')
  t.same(problems, [], 'no error in the console')
})
