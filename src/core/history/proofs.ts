import { Database } from '../../db/database'
import { ProblemError } from '../../errors'
import { chainHead } from './chain'
import { EMPTY_HEAD } from './hashing'

/**
 * Proofs of a plain hash chain (docs/design.md §10 says why not a Merkle tree): from a known entry hash, the content
 * hashes that follow, which the verifier folds with SHA-256(previous ‖ content) to the head it expects.
 */
export interface InclusionProof {
  position: number
  size: number
  /** The entry hash before `position` (64 zeros at position 1). */
  previous: string
  /** Content hashes of positions `position` to `size`: the first is the entry's own. */
  contentHashes: string[]
  /** The entry hash at `size`: a checkpoint of that size signs it. */
  head: string
}

export interface ConsistencyProof {
  from: number
  to: number
  fromHead: string
  /** Content hashes of positions from + 1 to `to`. */
  contentHashes: string[]
  toHead: string
}

/** 404 for a size the chain has not reached; a checkpoint is never of a size the chain did not have. */
async function requireSize(db: Database, size: number, name: string): Promise<void> {
  const { size: current } = await chainHead(db)
  if (size > current) throw new ProblemError('not-found', `The chain holds ${current} entries, not ${size} (${name}).`)
}

async function entryHashAt(db: Database, position: number): Promise<string> {
  if (position === 0) return EMPTY_HEAD
  const row = await db.get<{ entryHash: string }>('SELECT entry_hash AS "entryHash" FROM history_chain WHERE position = ?', [position])
  return row!.entryHash
}

async function contentHashes(db: Database, after: number, upTo: number): Promise<string[]> {
  const rows = await db.all<{ contentHash: string }>('SELECT content_hash AS "contentHash" FROM history_chain WHERE position > ? AND position <= ? ORDER BY position', [after, upTo])
  return rows.map((row) => row.contentHash)
}

export async function inclusionProof(db: Database, position: number, size: number): Promise<InclusionProof> {
  if (position > size) throw new ProblemError('invalid-request', `position ${position} is past size ${size}`, [{ path: 'position', message: `must be at most size (${size})` }])
  await requireSize(db, size, 'size')
  return { position, size, previous: await entryHashAt(db, position - 1), contentHashes: await contentHashes(db, position - 1, size), head: await entryHashAt(db, size) }
}

export async function consistencyProof(db: Database, from: number, to: number): Promise<ConsistencyProof> {
  if (from > to) throw new ProblemError('invalid-request', `from ${from} is past to ${to}`, [{ path: 'from', message: `must be at most to (${to})` }])
  await requireSize(db, to, 'to')
  return { from, to, fromHead: await entryHashAt(db, from), contentHashes: await contentHashes(db, from, to), toHead: await entryHashAt(db, to) }
}
