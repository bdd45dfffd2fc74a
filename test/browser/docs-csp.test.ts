import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { appInBrowser } from '../helpers/browser'

t.test('Swagger UI renders under its Content-Security-Policy, with or without a query string', async (t) => {
  const { base, browser } = await appInBrowser(t)

  for (const [url, finalPath] of [
    ['/docs', '/docs'],
    ['/docs?utm_source=x', '/docs'],
    ['/docs/static/index.html?url=x', '/docs/'],
  ]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))",
    )
    const response = await page.goto(`${base}${url}`)
    t.equal(response?.status(), 200, `${url}: 200 in the end`)
    t.equal(new URL(page.url()).pathname, finalPath, `${url}: lands on ${finalPath}`)
    t.equal(new URL(page.url()).search, '', `${url}: without the query string`)

    await page.locator('.opblock').first().waitFor({ timeout: 15_000 })
    t.ok((await page.locator('.opblock').count()) > 10, `${url}: the operations are listed`)
    t.ok(await page.locator('[data-path="/v1/prisoners"]').first().isVisible(), `${url}: /v1/prisoners among them`)
    t.equal(await page.getByText('Unable to render this definition').count(), 0, `${url}: no "Unable to render this definition"`)
    if (url === '/docs') await page.screenshot({ path: path.join(tmpdir(), 'docs-csp.png'), fullPage: false })
    t.same(problems, [], `${url}: no CSP violation or error in the console`)
    await page.close()
  }
})
