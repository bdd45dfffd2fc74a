import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { Browser, chromium } from 'playwright-core'
import { TestApp, buildTestApp } from './test-app'

// Debian's chromium: browser downloads fail on these machines (npm test's pretest and .ci/run install the package).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

interface Tap {
  ok(value: unknown, message: string): void
  teardown(fn: () => unknown): void
}

/**
 * The seeded app listening on a free local port, and headless Chromium (closed when the test ends), started
 * with the flags this closed network needs (no background networking, no component updates).
 */
export async function appInBrowser(t: Tap, options: Parameters<typeof buildTestApp>[1] = {}): Promise<TestApp & { base: string; browser: Browser }> {
  t.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)
  const testApp = await buildTestApp(t, options)
  await testApp.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  t.teardown(() => browser.close())
  return { ...testApp, base, browser }
}
