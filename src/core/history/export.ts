import { Identity, maskColumns } from '../access/access'
import { WithheldNow, publicParts } from '../access/history-view'
import { readsWithheld } from '../access/public-view'
import { redactedFor } from '../access/redactions'
import { Database } from '../../db/database'
import { ChainHead, chainHead } from './chain'
import { checkpointsUpTo } from './checkpoints'
import { HISTORY_KINDS, HistoryKind, EntryContent, Opening, RevisionRow, entryContent, isHistoryKind, openingsOf, revisionParts, revisionsSelect } from './entries'
import { HistoryKey } from './signing-key'

/** One line of the export: an entry of the chain, as stored and as its rows read now (docs/design.md §10). */
export interface ExportedEntry {
  type: 'entry'
  position: number
  /** What the chain stored when the entry was appended. */
  contentHash: string
  entryHash: string
  /** The content made from the entry's rows as they are now; null when they are gone (a deleted revision). */
  content: EntryContent | null
  /** The parts the caller may read, with their salts: the public's per core/access, an editor's all. */
  openings: Record<string, Opening>
}

const PAGE = 500
const marks = (values: unknown[]) => values.map(() => '?').join(',')

interface ChainRow {
  position: number
  kind: string
  subjectId: string
  ref: string
  salt: string
  contentHash: string
  entryHash: string
}

/**
 * The export of the history as NDJSON lines, streamed page by page: a header (size, head, the signing key), every
 * entry in order with its content made again from the rows it chained, any revision the chain does not hold
 * ("unchained": one inserted behind the writers' back), and the registry's signed checkpoints up to the size.
 * Whoever re-hashes it finds where the rows and the chain part, by position (scripts/verify-history.mjs).
 */
export async function* historyExport(db: Database, identity: Identity, key: HistoryKey): AsyncGenerator<string> {
  const { size, head }: ChainHead = await chainHead(db)
  yield line({ type: 'header', format: 'registry-history/1', size, head, keyId: key.keyId, publicKey: key.publicPem })
  const redacted = await redactedFor(db, identity)
  const whole = readsWithheld(identity)
  const chained = new Map<string, Set<string>>()
  for (let after = 0; after < size; after += PAGE) {
    const rows = await db.all<ChainRow>(
      `SELECT position, kind, subject_id AS "subjectId", ref, salt, content_hash AS "contentHash", entry_hash AS "entryHash"
       FROM history_chain WHERE position > ? AND position <= ? ORDER BY position`,
      [after, Math.min(after + PAGE, size)],
    )
    const revisions = await revisionsOf(db, rows)
    const records = await withheldNowOf(db, rows)
    for (const row of rows) {
      if (!chained.has(row.kind)) chained.set(row.kind, new Set())
      chained.get(row.kind)!.add(row.ref)
      const revision = revisions.get(`${row.kind}:${row.ref}`)
      let content: EntryContent | null = null
      let openings: Record<string, Opening> = {}
      if (revision && isHistoryKind(row.kind)) {
        const parts = revisionParts(revision)
        content = entryContent(row.kind, revision.at, parts, row.salt)
        const record = row.kind === 'record-revision' ? (records.get(revision.subject) ?? { withheld: null, editorDocument: null }) : null
        openings = openingsOf(parts, whole ? Object.keys(parts) : publicParts(parts, record, redacted), row.salt)
      }
      const entry: ExportedEntry = { type: 'entry', position: Number(row.position), contentHash: row.contentHash, entryHash: row.entryHash, content, openings }
      yield line(entry)
    }
  }
  // Revisions no entry holds: rows added behind the writers' back, or after the size this export stops at.
  for (const kind of Object.keys(HISTORY_KINDS) as HistoryKind[]) {
    const refs = chained.get(kind) ?? new Set()
    const later = new Set((await db.all<{ ref: string }>('SELECT ref FROM history_chain WHERE kind = ? AND position > ?', [kind, size])).map((row) => row.ref))
    for (const { id, at } of await db.all<{ id: number; at: string }>(`SELECT id, at FROM ${HISTORY_KINDS[kind].table} ORDER BY id`)) {
      if (!refs.has(String(id)) && !later.has(String(id))) yield line({ type: 'unchained', kind, at })
    }
  }
  for (const checkpoint of await checkpointsUpTo(db, size)) yield line({ type: 'checkpoint', ...checkpoint })
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`

/** The rows a page of the chain names, by `kind:ref`. */
async function revisionsOf(db: Database, rows: ChainRow[]): Promise<Map<string, RevisionRow>> {
  const found = new Map<string, RevisionRow>()
  for (const kind of Object.keys(HISTORY_KINDS) as HistoryKind[]) {
    const ids = rows.filter((row) => row.kind === kind).map((row) => Number(row.ref))
    if (ids.length === 0) continue
    for (const revision of await db.all<RevisionRow>(`${revisionsSelect(kind)} WHERE id IN (${marks(ids)})`, ids)) found.set(`${kind}:${revision.id}`, revision)
  }
  return found
}

/** What of each record a page names is withheld now: which parts of its revisions stay commitments. */
async function withheldNowOf(db: Database, rows: ChainRow[]): Promise<Map<string, WithheldNow>> {
  const ids = [...new Set(rows.filter((row) => row.kind === 'record-revision').map((row) => row.subjectId))]
  if (ids.length === 0) return new Map()
  const records = await db.all<WithheldNow & { id: string }>(`SELECT id, ${maskColumns()} FROM prisoners WHERE id IN (${marks(ids)})`, ids)
  return new Map(records.map(({ id, ...columns }) => [id, columns]))
}
