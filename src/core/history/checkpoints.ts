import { sign } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { Database } from '../../db/database'
import { numberedParams } from '../../db/dialect'
import { canonical } from './hashing'
import { HistoryKey } from './signing-key'

/** A signed statement of the chain: its size and head hash at a time (docs/design.md §10). */
export interface Checkpoint {
  size: number
  head: string
  at: string
  keyId: string
  /** Ed25519, base64, over checkpointMessage(). */
  signature: string
}

/** The bytes signed: the RFC 8785 form of size, head hash, time and key id (scripts/verify-history.mjs repeats it). */
export function checkpointMessage({ size, head, at, keyId }: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(canonical({ at, head, keyId, log: 'registry-history/1', size }), 'utf8')
}

/** How often, at most, the registry signs a checkpoint of its own when the chain grew. */
export const CHECKPOINT_EVERY_MS = 60_000

const COLUMNS = 'size, head, at, key_id AS "keyId", signature'

function query<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return manager.query(manager.connection.options.type === 'postgres' ? numberedParams(sql) : sql, params) as Promise<T[]>
}

const asCheckpoint = (row: Checkpoint): Checkpoint => ({ ...row, size: Number(row.size) })

/**
 * Signs a checkpoint of the chain as it is, in a write transaction that holds the head (so that no append lands
 * between reading it and storing the checkpoint). `onlyIfDue`: only when the chain grew since the last one and that
 * one is at least CHECKPOINT_EVERY_MS old (the registry's own, every minute; several instances make one between
 * them). On demand (an editor's request), a new one whenever the chain is not empty. Null when none was made.
 */
export async function makeCheckpoint(db: Database, key: HistoryKey, { onlyIfDue = false } = {}): Promise<Checkpoint | null> {
  return db.transaction(async (manager) => {
    const lock = manager.connection.options.type === 'postgres' ? ' FOR UPDATE' : ''
    const [head] = await query<{ size: number; head: string }>(manager, `SELECT size, head FROM history_head WHERE id = 1${lock}`)
    const size = Number(head.size)
    if (size === 0) return null
    const now = new Date()
    if (onlyIfDue) {
      const [last] = await query<Checkpoint>(manager, `SELECT ${COLUMNS} FROM history_checkpoints ORDER BY id DESC LIMIT 1`)
      if (last && (Number(last.size) >= size || now.getTime() - Date.parse(last.at) < CHECKPOINT_EVERY_MS)) return null
    }
    const unsigned = { size, head: head.head, at: now.toISOString(), keyId: key.keyId }
    const checkpoint = { ...unsigned, signature: sign(null, checkpointMessage(unsigned), key.privateKey).toString('base64') }
    await query(manager, 'INSERT INTO history_checkpoints (size, head, at, key_id, signature) VALUES (?, ?, ?, ?, ?)', [
      checkpoint.size,
      checkpoint.head,
      checkpoint.at,
      checkpoint.keyId,
      checkpoint.signature,
    ])
    return checkpoint
  })
}

/** The latest `limit` checkpoints, newest first. */
export async function listCheckpoints(db: Database, limit: number): Promise<Checkpoint[]> {
  return (await db.all<Checkpoint>(`SELECT ${COLUMNS} FROM history_checkpoints ORDER BY id DESC LIMIT ?`, [limit])).map(asCheckpoint)
}

/** Every checkpoint of a size up to `size`, oldest first: what an export carries to place a rewrite between two. */
export async function checkpointsUpTo(db: Database, size: number): Promise<Checkpoint[]> {
  return (await db.all<Checkpoint>(`SELECT ${COLUMNS} FROM history_checkpoints WHERE size <= ? ORDER BY id`, [size])).map(asCheckpoint)
}

/** Signs a checkpoint every minute while the chain grows; stopped by the returned function. */
export function checkpointEveryMinute(db: Database, key: HistoryKey, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => void makeCheckpoint(db, key, { onlyIfDue: true }).catch(onError), CHECKPOINT_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
