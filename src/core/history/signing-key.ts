import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The Ed25519 key checkpoints are signed with (docs/design.md §10), its public half and the id auditors know it by. */
export interface HistoryKey {
  privateKey: KeyObject
  publicKey: KeyObject
  /** The public key as PEM (SPKI), what `GET /v1/history/public-key` serves. */
  publicPem: string
  /** SHA-256 of the public key's DER (SPKI): the id each checkpoint names. */
  keyId: string
}

export function historyKeyOf(privateKey: KeyObject): HistoryKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the history signing key must be an Ed25519 key, not ${privateKey.asymmetricKeyType}`)
  const publicKey = createPublicKey(privateKey)
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: createHash('sha256').update(der).digest('hex') }
}

/** A key for one run (tests, a scratch database): checkpoints it signs are checked by its public key alone. */
export function temporaryHistoryKey(): HistoryKey {
  return historyKeyOf(generateKeyPairSync('ed25519').privateKey)
}

/**
 * The signing key of `HISTORY_SIGNING_KEY` (a PKCS #8 PEM), else of the file at `HISTORY_SIGNING_KEY_FILE`; when
 * neither exists (the first start), one is generated into that file (mode 0600) and `announce` says where, with its
 * public key. Never in the database: whoever could edit the history there could then sign a rewritten one.
 */
export function loadHistoryKey(pem: string | undefined, file: string, announce: (message: string) => void): HistoryKey {
  if (pem) return historyKeyOf(createPrivateKey(pem.replace(/\\n/g, '\n')))
  if (existsSync(file)) return historyKeyOf(createPrivateKey(readFileSync(file, 'utf8')))
  const key = historyKeyOf(generateKeyPairSync('ed25519').privateKey)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' })
  announce(
    `history signing key generated into ${file} (HISTORY_SIGNING_KEY_FILE); keep a copy apart from the database, and give every instance the same one. ` +
      `Public key (id ${key.keyId}):\n${key.publicPem}`,
  )
  return key
}
