import { randomBytes } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { Database } from '../../db/database'
import { numberedParams } from '../../db/dialect'
import { contentHash, entryHash } from './hashing'
import { HISTORY_KINDS, HistoryKind, RevisionRow, entryContent, revisionParts, revisionsSelect } from './entries'

/** The chain's size and the hash of its last entry, as `history_head` holds them. */
export interface ChainHead {
  size: number
  head: string
}

/** A query as this engine takes it in `manager.query` (PostgreSQL numbers its marks). */
function query<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return manager.query(manager.connection.options.type === 'postgres' ? numberedParams(sql) : sql, params) as Promise<T[]>
}

/**
 * Appends the revision just inserted (of `kind`, of subject `subjectId`, at `version`) to the history chain, in the
 * transaction that inserted it (docs/design.md §10). The ONE append: every place that inserts a revision calls it,
 * on the line after the insert. In commit order on both engines: the head row is locked (PostgreSQL: FOR UPDATE,
 * besides the advisory lock every write takes; SQLite has one writer), so the next append, of this instance or
 * another, waits for this transaction to commit and reads the head it left.
 */
export async function appendToHistory(manager: EntityManager, kind: HistoryKind, subjectId: string, version: number): Promise<void> {
  const [row] = await query<RevisionRow>(manager, `${revisionsSelect(kind)} WHERE ${HISTORY_KINDS[kind].subject} = ? AND version = ?`, [subjectId, version])
  if (!row) throw new Error(`no ${kind} of ${subjectId} at version ${version} to chain`)
  await appendRow(manager, kind, row)
}

async function appendRow(manager: EntityManager, kind: HistoryKind, row: RevisionRow): Promise<ChainHead> {
  const lock = manager.connection.options.type === 'postgres' ? ' FOR UPDATE' : ''
  const [head] = await query<ChainHead>(manager, `SELECT size, head FROM history_head WHERE id = 1${lock}`)
  const salt = randomBytes(32).toString('hex')
  const content = contentHash(entryContent(kind, row.at, revisionParts(row), salt))
  const next = { size: Number(head.size) + 1, head: entryHash(head.head, content) }
  await query(
    manager,
    'INSERT INTO history_chain (position, kind, subject_id, ref, at, salt, content_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [next.size, kind, row.subject, String(row.id), row.at, salt, content, next.head],
  )
  await query(manager, 'UPDATE history_head SET size = ?, head = ? WHERE id = 1', [next.size, next.head])
  return next
}

/** The chain's size and head now. */
export async function chainHead(db: Database): Promise<ChainHead> {
  const head = await db.get<ChainHead>('SELECT size, head FROM history_head WHERE id = 1')
  return { size: Number(head?.size ?? 0), head: head!.head }
}

const BATCH = 500

/**
 * Chains the revisions no entry holds yet, oldest first (by time, records' before events' at the same time, then
 * by id): those written before the chain existed. A start-up step rather than the migration that made the tables,
 * because the content of an entry is made by this code (RFC 8785, salted commitments), which a migration may not
 * import, and a frozen copy could drift from it. Run by one instance at a time (server.ts: exclusively); returns how
 * many it chained.
 */
export async function chainUnchained(db: Database): Promise<number> {
  const missing: { kind: HistoryKind; id: number; at: string }[] = []
  for (const kind of Object.keys(HISTORY_KINDS) as HistoryKind[]) {
    const chained = new Set((await db.all<{ ref: string }>('SELECT ref FROM history_chain WHERE kind = ?', [kind])).map((row) => row.ref))
    for (const row of await db.all<{ id: number; at: string }>(`SELECT id, at FROM ${HISTORY_KINDS[kind].table}`)) {
      if (!chained.has(String(row.id))) missing.push({ kind, id: Number(row.id), at: row.at })
    }
  }
  if (missing.length === 0) return 0
  const order = Object.keys(HISTORY_KINDS)
  missing.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order.indexOf(a.kind) - order.indexOf(b.kind) || a.id - b.id))
  await db.transaction(async (manager) => {
    for (let start = 0; start < missing.length; start += BATCH) {
      const batch = missing.slice(start, start + BATCH)
      const rows = new Map<string, RevisionRow>()
      for (const kind of new Set(batch.map((entry) => entry.kind))) {
        const ids = batch.filter((entry) => entry.kind === kind).map((entry) => entry.id)
        for (const row of await query<RevisionRow>(manager, `${revisionsSelect(kind)} WHERE id IN (${ids.map(() => '?').join(',')})`, ids)) {
          rows.set(`${kind}:${row.id}`, row)
        }
      }
      for (const { kind, id } of batch) await appendRow(manager, kind, rows.get(`${kind}:${id}`)!)
    }
  })
  return missing.length
}
