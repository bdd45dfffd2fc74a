import t from 'tap'
import { buildTestApp } from '../helpers/test-app'

// The files of /docs as the page names them, plus the document its script loads; the browser test
// (test/browser/docs-overview.test.ts) measures the same in Chromium, headers included.
t.test('/docs weighs under 1 MB compressed, all of its files together (it is 2.2 MB uncompressed)', async (t) => {
  const { app } = await buildTestApp(t)
  const headers = { 'accept-encoding': 'gzip, deflate, br' }
  const page = await app.inject({ url: '/docs', headers })
  const files = ['/docs', ...[...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]), '/docs/json']
  t.ok(files.some((file) => file.endsWith('/swagger-ui-bundle.js')), 'the page names its bundle')
  let compressed = 0
  let uncompressed = 0
  for (const url of files) {
    const res = await app.inject({ url, headers })
    t.equal(res.statusCode, 200, `${url}: 200`)
    compressed += res.rawPayload.length
    uncompressed += (await app.inject({ url })).rawPayload.length
  }
  t.comment(`${files.length} files: ${compressed} bytes compressed, ${uncompressed} uncompressed`)
  t.ok(compressed < 1_000_000, `under 1,000,000 bytes (${compressed})`)
})
