import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadConfig } from '../../../src/config'
import { loadHistoryKey } from '../../../src/core/history/signing-key'

/** docs/design.md §10: the checkpoints' key comes from configuration, generated and printed on the first start if absent. */
t.test('the first start generates the key into its file and says where; later starts read the same key', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'history-key-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'data', 'history-signing-key.pem')
  const said: string[] = []
  const first = loadHistoryKey(undefined, file, (message) => said.push(message))
  t.equal(said.length, 1)
  t.match(said[0], file, 'the message names the file')
  t.match(said[0], /BEGIN PUBLIC KEY/, 'and the public key')
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by the service alone')
  const again = loadHistoryKey(undefined, file, (message) => said.push(message))
  t.equal(again.keyId, first.keyId, 'the same key on the next start')
  t.equal(said.length, 1, 'printed once')
})

t.test('HISTORY_SIGNING_KEY wins over the file, and must be Ed25519', async (t) => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const config = loadConfig({ HISTORY_SIGNING_KEY: pem.replace(/\n/g, '\\n') })
  t.match(config.historySigningKeyFile, /history-signing-key\.pem$/)
  const key = loadHistoryKey(config.historySigningKey, '/nonexistent/never-written.pem', () => t.fail('nothing generated'))
  t.match(key.publicPem, /BEGIN PUBLIC KEY/)
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  t.throws(() => loadHistoryKey(rsa, '/nonexistent/x.pem', () => undefined), /Ed25519/)
})
