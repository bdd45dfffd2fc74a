import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config'
import { buildTestApp } from '../helpers/test-app'

// The README is the first thing a newcomer runs: its read examples answer on the seed, the commands it names exist,
// and the settings it names are read by the server.

const root = path.resolve(__dirname, '../..')
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts

t.test("the README's anonymous reads answer 200 on the seed, with what they ask for", async (t) => {
  const { http } = await buildTestApp(t)
  const reads = [...readme.matchAll(/^curl -s "http:\/\/localhost:3000(\/[^"]+)"$/gm)].map((match) => match[1])
  t.ok(reads.length >= 4, `${reads.length} read examples`)
  for (const url of reads) {
    const answer = await http.get(url)
    t.equal(answer.status, 200, url)
    t.ok(answer.text.length > 100, `${url}: not empty`)
    const q = new URL(url, 'http://localhost').searchParams.get('q')
    if (q) t.match(answer.text, q, `${url} finds what it searched`)
  }
})

t.test('every npm script the README names exists', async (t) => {
  const named = [...new Set([...readme.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((match) => match[1]))]
  t.ok(named.length >= 5, named.join(', '))
  t.same(named.filter((name) => !(name in scripts)), [], 'none missing from package.json')
})

t.test('the settings the quick start names are read by the server', async (t) => {
  const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: '/tmp/elsewhere.sqlite' })
  t.equal(config.port, 8080)
  t.equal(config.host, '0.0.0.0')
  t.match(JSON.stringify(config), '/tmp/elsewhere.sqlite')
  for (const name of ['PORT=8080', 'HOST=0.0.0.0', 'DATABASE_PATH=']) t.match(readme, name, `the README names ${name}`)
})
