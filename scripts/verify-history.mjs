#!/usr/bin/env node
// Verifies an export of the registry's history chain (GET /v1/history/export) against the chain it states and
// against checkpoints: the one you kept (--checkpoint FILE) and the registry's own, signed, in the export.
// Needs node (20.19 or later) and nothing else: no server, no dependency. docs/design.md §10 describes what it checks.
//
//   node scripts/verify-history.mjs EXPORT [--checkpoint FILE] [--public-key FILE]
//
// EXPORT is a file or an http(s) address. FILE is a checkpoint as GET /v1/history/checkpoints serves one (its `latest`,
// or that whole answer). --public-key: the key you trust (GET /v1/history/public-key's answer or its PEM, saved when
// you first audited); without it, the key the checkpoint names is used, and its id printed for you to compare.
// Every problem is reported by position; the exit status is 0 when there is none, 1 otherwise, 2 for bad usage.
/* global Buffer, console, fetch, process */
import { createHash, createPublicKey, verify } from 'node:crypto'
import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const EMPTY_HEAD = '0'.repeat(64)

/** RFC 8785 (JCS) for values read by JSON.parse: keys sorted by UTF-16 code units, ECMAScript number and string forms. */
export function canonical(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a JSON number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
    .join(',')}}`
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex')
const commitment = (salt, value) => sha256(`${salt}:${canonical(value)}`)
const entryHash = (previous, content) => createHash('sha256').update(Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(content, 'hex')])).digest('hex')
const keyIdOf = (key) => createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')
const message = ({ size, head, at, keyId }) => Buffer.from(canonical({ at, head, keyId, log: 'registry-history/1', size }), 'utf8')

/**
 * Checks the lines of an export; returns the problems (each naming a position where it has one) and a summary.
 * `kept`: the checkpoint the auditor kept, or null; `trustedKey`: a KeyObject, or null to use the checkpoint's own.
 */
export function verifyExport(text, { kept = null, trustedKey = null } = {}) {
  const problems = []
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  let header = null
  const entries = []
  const checkpoints = []
  for (const [index, line] of lines.entries()) {
    let item
    try {
      item = JSON.parse(line)
    } catch {
      problems.push(`line ${index + 1}: not JSON`)
      continue
    }
    if (item.type === 'header') header = item
    else if (item.type === 'entry') entries.push(item)
    else if (item.type === 'checkpoint') checkpoints.push(item)
    else if (item.type === 'unchained') problems.push(`inserted: a ${item.kind} of ${item.at} that no position of the chain holds`)
    else problems.push(`line ${index + 1}: an unknown line`)
  }
  if (!header) problems.push('the export has no header line')

  // The chain as the rows read now: recomputed[p] is the entry hash at p made from the contents alone.
  const recomputed = [EMPTY_HEAD]
  let previousStored = EMPTY_HEAD
  for (const [index, entry] of entries.entries()) {
    const position = index + 1
    if (entry.position !== position) problems.push(`position ${position}: the export holds position ${entry.position} here (entries missing or out of order)`)
    let made = null
    if (entry.content === null) problems.push(`position ${position}: deleted: the revision this entry chained is gone`)
    else {
      made = sha256(canonical(entry.content))
      if (made !== entry.contentHash) problems.push(`position ${position}: edited: its content is not what the chain stored (a value changed, or two entries swapped)`)
      for (const [part, { salt, value }] of Object.entries(entry.openings ?? {})) {
        if (commitment(salt, value) !== entry.content.parts?.[part]) problems.push(`position ${position}: the opened part ${part} is not what the entry commits to`)
      }
    }
    if (entryHash(previousStored, entry.contentHash) !== entry.entryHash) problems.push(`position ${position}: the chain is broken here: its entry hash does not follow from the previous one (inserted, deleted or reordered)`)
    previousStored = entry.entryHash
    // A deleted entry's stored content hash stands in, so that the positions after it are still checked against checkpoints.
    recomputed.push(entryHash(recomputed[position - 1], made ?? entry.contentHash))
  }
  const size = entries.length
  if (header && header.size !== size) problems.push(`the header states ${header.size} entries; the export holds ${size}`)
  if (header && size > 0 && header.head !== entries[size - 1].entryHash) problems.push(`the header's head is not the entry hash at position ${size}`)

  // Checkpoints: the kept one, and the registry's own; each signature checked, then its head against the chain.
  const all = [...(kept ? [{ ...kept, kept: true }] : []), ...checkpoints]
  const valid = []
  for (const checkpoint of all) {
    const name = `${checkpoint.kept ? 'your checkpoint' : 'the checkpoint'} of size ${checkpoint.size} (${checkpoint.at})`
    let key = trustedKey
    try {
      key ??= createPublicKey(checkpoint.publicKey ?? header?.publicKey)
    } catch {
      problems.push(`${name}: no public key to check it with`)
      continue
    }
    if (keyIdOf(key) !== checkpoint.keyId) {
      problems.push(`${name}: signed by key ${checkpoint.keyId}, not by the key you trust (${keyIdOf(key)})`)
      continue
    }
    if (!verify(null, message(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'))) {
      problems.push(`${name}: its signature is not valid`)
      continue
    }
    if (checkpoint.size > size) {
      problems.push(`${name}: the export holds only ${size} entries: positions ${size + 1} to ${checkpoint.size} were deleted`)
      continue
    }
    valid.push({ ...checkpoint, name, holds: recomputed[checkpoint.size] === checkpoint.head })
  }
  // A rewrite made consistent (contents and chain both changed from a point on) shows only against checkpoints: it lies
  // after the largest checkpoint that still holds and at or before the smallest that does not.
  const broken = valid.filter((checkpoint) => !checkpoint.holds)
  if (broken.length) {
    const upTo = Math.min(...broken.map((checkpoint) => checkpoint.size))
    const after = Math.max(0, ...valid.filter((checkpoint) => checkpoint.holds && checkpoint.size < upTo).map((checkpoint) => checkpoint.size))
    const where = after + 1 === upTo ? `position ${upTo}` : `positions ${after + 1} to ${upTo}`
    problems.push(`${where}: rewritten: the chain no longer leads to the head signed at size ${upTo}`)
    for (const checkpoint of broken.filter((checkpoint) => checkpoint.kept)) problems.push(`${checkpoint.name}: its head is not the chain's at that size`)
  }
  const keptResult = valid.find((checkpoint) => checkpoint.kept)
  return { problems, size, head: recomputed[size], checkpoints: valid.length, kept: keptResult ? keptResult.holds : null, keyId: trustedKey ? keyIdOf(trustedKey) : (kept?.keyId ?? header?.keyId) }
}

async function main(argv) {
  const args = [...argv]
  const option = (name) => {
    const at = args.indexOf(name)
    if (at === -1) return null
    const [, value] = args.splice(at, 2)
    if (value === undefined) usage(`${name} needs a file`)
    return value
  }
  const checkpointFile = option('--checkpoint')
  const keyFile = option('--public-key')
  if (args.length !== 1) usage('name one export')
  const [source] = args
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : readFileSync(source, 'utf8')
  let kept = null
  if (checkpointFile) {
    const read = JSON.parse(readFileSync(checkpointFile, 'utf8'))
    kept = read.latest !== undefined ? read.latest : read
    if (!kept) usage(`${checkpointFile} holds no checkpoint`)
  }
  // A PEM, or GET /v1/history/public-key's answer saved as it came.
  const keyText = keyFile ? readFileSync(keyFile, 'utf8') : null
  const trustedKey = keyText ? createPublicKey(keyText.trimStart().startsWith('{') ? JSON.parse(keyText).publicKey : keyText) : null
  const result = verifyExport(text, { kept, trustedKey })
  for (const problem of result.problems) console.log(problem)
  if (result.problems.length) {
    console.log(`NOT VERIFIED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${result.size} entries`)
    return 1
  }
  console.log(
    `verified: ${result.size} entries, head ${result.head}; ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? ' holds' : 's hold'}` +
      (kept ? `, yours of size ${kept.size} among them` : ' (no checkpoint of yours given: --checkpoint FILE)') +
      `; signing key ${result.keyId}${trustedKey ? '' : ' (compare it with the one you trust: --public-key FILE)'}`,
  )
  return 0
}

function usage(problem) {
  console.error(`${problem}\nusage: node scripts/verify-history.mjs EXPORT [--checkpoint FILE] [--public-key FILE]`)
  process.exit(2)
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(2)
    },
  )
}
