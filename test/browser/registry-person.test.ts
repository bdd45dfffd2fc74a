import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer } from 'node:http'
import path from 'node:path'
import t from 'tap'
import { appInBrowser } from '../helpers/browser'
import { SEED } from '../helpers/test-app'

/**
 * The embeddable card (issue 26) as a site uses it: a page of another origin (another port), with a strict
 * Content-Security-Policy that allows scripts and fetches from the API's origin only and no inline style, loads
 * the script under its hashed URL with its SRI hash and shows a record. axe-core (a dev dependency) checks it.
 */
const AXE = require.resolve('axe-core/axe.min.js')
const SCREENSHOT = path.resolve(__dirname, '../../docs/images/registry-person-card.png')

interface Field {
  value: unknown
  citations: { quote: string | null; sourceId: string | null }[]
}

async function hostPage(html: (api: string) => string, api: string) {
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src ${api}; connect-src ${api}; style-src 'self'; img-src 'self'`,
    })
    response.end(html(api))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() }
}

const page = (script: string, integrity: string) => (api: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An advocacy site</title>` +
  `<script src="${api}${script}" integrity="${integrity}" crossorigin="anonymous" defer></script></head>` +
  `<body><main><h1>Freed on 21 June 2025</h1>` +
  `<registry-person record-id="${SEED.tsikhanouski}" lang="be"></registry-person>` +
  `<registry-person record-id="${SEED.karnei}" lang="en"></registry-person>` +
  `</main></body></html>`

t.test('<registry-person> on a page of another origin under a strict CSP: the values of the API, their quotes on focus and tap, no serious axe violation', async (t) => {
  const { base, browser, http } = await appInBrowser(t)
  const manifest = await http.get('/v1/embed/registry-person.json')
  t.equal(manifest.status, 200)
  const { script, integrity } = manifest.body as { script: string; integrity: string }
  const scriptPath = new URL(script).pathname
  t.match(scriptPath, /^\/v1\/embed\/registry-person-[0-9a-f]{16}\.js$/, 'a versioned URL')
  const served = await http.get(scriptPath)
  t.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.match(served.headers['content-type'], /^text\/javascript/)
  t.equal((await http.get('/v1/embed/registry-person-0000000000000000.js')).status, 404, 'another version is not there')

  const host = await hostPage(page(scriptPath, integrity), base)
  t.teardown(() => host.close())
  const tab = await browser.newPage({ viewport: { width: 900, height: 760 } })
  const problems: string[] = []
  tab.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })
  tab.on('pageerror', (error) => problems.push(error.message))
  await tab.addInitScript("document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")
  await tab.goto(host.url)

  const card = tab.locator('registry-person[lang="be"]')
  await card.locator('[data-field="destination"] button').waitFor({ timeout: 15_000 })
  const record = (await http.get(`/v1/prisoners/${SEED.tsikhanouski}`)).body as Record<string, Field>
  // What the card must show, from the API's values with the browser's own Intl (country names, dates in Belarusian).
  const expected = await tab.evaluate(
    ({ nationality, releaseDate, destination }) => ({
      nationality: new Intl.DisplayNames(['be', 'en'], { type: 'region' }).of(nationality as string),
      releaseDate: new Intl.DateTimeFormat('be', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${releaseDate as string}T00:00:00Z`)),
      destination: `${new Intl.DisplayNames(['be', 'en'], { type: 'region' }).of((destination as { country: string }).country)}, ${(destination as { place: string }).place}`,
    }),
    { nationality: record.nationality.value, releaseDate: record.releaseDate.value, destination: record.destination.value },
  )
  const shown = async (field: string) => (await card.locator(`[data-field="${field}"] button`).textContent())?.trim()
  t.equal(await shown('name'), record.name.value, 'the name, as the API has it')
  t.equal(await shown('status'), 'Вызвалены', "the status in Belarusian, the registry's own word for released")
  t.equal(record.status.value, 'released')
  t.equal(await shown('nationality'), expected.nationality, 'the nationality by Intl.DisplayNames')
  t.equal(await shown('releaseDate'), expected.releaseDate, 'the release date')
  t.equal(await shown('destination'), expected.destination, 'the destination')
  t.equal(await card.locator('article').getAttribute('lang'), 'be')
  t.equal((await tab.locator('registry-person[lang="en"] [data-field="status"] button').textContent())?.trim(), 'Released', 'the other card in English')

  // Keyboard: Tab reaches the name, then the status; the status's quotes appear while it has focus.
  const statusTip = card.locator('[data-field="status"] [role="tooltip"]')
  t.notOk(await statusTip.isVisible(), 'quotes hidden at first')
  await tab.keyboard.press('Tab')
  await tab.keyboard.press('Tab')
  t.equal(await tab.evaluate("document.activeElement?.shadowRoot?.activeElement?.closest('[data-field]')?.getAttribute('data-field')"), 'status', 'Tab goes name, then status')
  t.ok(await statusTip.isVisible(), 'the quotes appear on focus')
  const tipText = (await statusTip.textContent()) ?? ''
  for (const citation of record.status.citations) t.ok(tipText.includes(citation.quote!), `the quote "${citation.quote!.slice(0, 30)}…"`)
  const source = (await http.get(`/v1/sources/${record.status.citations[0].sourceId}`)).body as { title: string }
  t.ok(tipText.includes(source.title), 'and its source')
  t.equal(await card.locator('[data-field="status"] button').getAttribute('aria-describedby'), await statusTip.getAttribute('id'), 'read out as the description')
  await tab.keyboard.press('Escape')
  t.notOk(await statusTip.isVisible(), 'Escape dismisses it')

  // A tap (click) opens the destination's quotes, and says so.
  const destination = card.locator('[data-field="destination"] button')
  await destination.click()
  t.equal(await destination.getAttribute('aria-expanded'), 'true')
  t.ok(((await card.locator('[data-field="destination"] [role="tooltip"]').textContent()) ?? '').includes(record.destination.citations[0].quote!), 'the quote appears on a tap')
  await tab.mouse.move(0, 0)
  await tab.screenshot({ path: SCREENSHOT })

  t.same(problems, [], 'no CSP violation and no error')

  await tab.evaluate(readFileSync(AXE, 'utf8'))
  const violations = (await tab.evaluate(
    '(async () => (await axe.run(document)).violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.length })))()',
  )) as { id: string; impact: string; nodes: number }[]
  t.same(violations.filter(({ impact }) => impact === 'serious' || impact === 'critical'), [], 'axe-core: no serious or critical violation')
  t.comment(`axe-core, all violations: ${JSON.stringify(violations)}`)
  await tab.close()
})

t.test('with the wrong SRI hash the browser refuses the script', async (t) => {
  const { base, browser, http } = await appInBrowser(t)
  const { script } = (await http.get('/v1/embed/registry-person.json')).body as { script: string }
  const host = await hostPage(page(new URL(script).pathname, 'sha384-' + Buffer.alloc(48).toString('base64')), base)
  t.teardown(() => host.close())
  const tab = await browser.newPage()
  await tab.goto(host.url)
  await tab.waitForLoadState('load')
  t.equal(await tab.evaluate("customElements.get('registry-person') === undefined"), true, 'the element is never defined')
  await tab.close()
})
