import { sha256Hex } from '../../shared/hash'
import { Passage, findPassages } from '../../core/evidence/passages'
import { newId } from '../../shared/ids'
import { Identity, readableSources } from '../../core/access/access'
import { Actor, actorsShownTo, ShowActor } from '../../core/access/actors'
import { redactText, redactionsFor, redactionsOf } from '../../core/access/redactions'
import { readsWithheld } from '../../core/access/public-view'
import { Database } from '../../db/database'
import { SourceEntity, SourceKind } from '../../db/entities/source.entity'
import { ProblemError } from '../../errors'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { now } from '../../shared/time'
import { CreateSourceDto } from './sources.dto'

/** A source as reads show it: its metadata and the fingerprint of its archived text, not the text itself. */
export interface SourceView {
  id: string
  title: string
  publisher: string | null
  url: string | null
  publishedAt: string | null
  retrievedAt: string | null
  language: string | null
  kind: SourceKind
  note: string | null
  hasContent: boolean
  contentLength: number | null
  contentSha256: string | null
  createdAt: string
  /** Who added it, as the caller is shown actors (core/access/actors.ts); null when not recorded (sources older than this field). */
  addedBy: string | null
  /** Read by editors only. */
  private: boolean
}

const COLUMNS = `id, title, publisher, url, published_at AS "publishedAt", retrieved_at AS "retrievedAt", language, kind, note,
  content_sha256 AS "contentSha256", LENGTH(content) AS "contentLength", created_at AS "createdAt", created_by AS "addedBy",
  created_by_key AS "addedByKey", created_by_role AS "addedByRole", private`

type SourceRow = Omit<SourceView, 'hasContent' | 'private'> & { private: boolean | number; addedByKey: string | null; addedByRole: string | null }

function view(row: SourceRow, show: ShowActor): SourceView {
  const { contentLength, contentSha256, createdAt, addedBy, addedByKey, addedByRole, private: isPrivate, ...rest } = row
  const shownAddedBy = addedBy === null ? null : show({ name: addedBy, key: addedByKey, role: addedByRole })
  return { ...rest, hasContent: contentSha256 !== null, contentLength, contentSha256, createdAt, addedBy: shownAddedBy, private: Boolean(isPrivate) }
}

export class SourcesService {
  constructor(private readonly db: Database) {}

  /** Archives a source; the SHA-256 of its text is computed here, never taken from the client. */
  create(input: CreateSourceDto, { actor, id = newId(), dryRun = false }: { actor: Actor; id?: string; dryRun?: boolean }): Promise<SourceView> {
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(SourceEntity, { id })) {
        throw new ProblemError('conflict', `A source with id ${id} already exists.`)
      }
      const content = input.content ?? null
      const source = manager.create(SourceEntity, {
        id,
        title: input.title,
        publisher: input.publisher ?? null,
        url: input.url ?? null,
        publishedAt: input.publishedAt ?? null,
        retrievedAt: input.retrievedAt ?? null,
        language: input.language ?? null,
        kind: input.kind as SourceKind,
        note: input.note ?? null,
        content,
        contentSha256: content === null ? null : sha256Hex(content),
        createdAt: now(),
        createdBy: actor.name,
        createdByKey: actor.key,
        createdByRole: actor.role,
        private: input.private ?? false,
      })
      await manager.insert(SourceEntity, source)
      const { contentSha256, createdAt, createdBy, createdByKey: _key, createdByRole: _role, content: text, private: isPrivate, ...metadata } = source
      // As reads will show it; LENGTH() in SQL counts code points, as the spread does.
      const contentLength = text === null ? null : [...text].length
      return { ...metadata, hasContent: text !== null, contentLength, contentSha256, createdAt, addedBy: createdBy, private: isPrivate }
    }, { dryRun })
  }

  /** A source the caller may read (core/access: private ones are for editors); 404 otherwise. */
  async findOrFail(id: string, identity: Identity): Promise<SourceView> {
    return (await this.asRead([await this.readable(id, identity)], identity))[0]
  }

  private async readable(id: string, identity: Identity): Promise<SourceView> {
    const readable = readableSources(identity)
    const row = await this.db.get<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE id = ? AND ${readable.sql}`, [id, ...readable.params])
    if (!row) throw new ProblemError('not-found', `No source with id ${id}.`)
    return view(row, await actorsShownTo(this.db, identity))
  }

  /** For everyone but editors, a redacted source's fingerprint is that of the text they read (content()). */
  private async asRead(views: SourceView[], identity: Identity): Promise<SourceView[]> {
    if (readsWithheld(identity)) return views
    const redacted = await redactionsOf(this.db, views.map((source) => source.id))
    if (redacted.size === 0) return views
    return Promise.all(views.map(async (source) => (redacted.has(source.id) ? { ...source, contentSha256: (await this.content(source.id, identity)).sha256 } : source)))
  }

  /**
   * The archived text as the caller reads it: whole for editors; for everyone else with redacted spans marked
   * (core/access/redactions.ts), and the SHA-256 of that rendition, since that of the whole text would confirm a
   * guess of the redacted words.
   */
  async content(id: string, identity: Identity): Promise<{ content: string; sha256: string; language: string | null }> {
    await this.readable(id, identity)
    const row = await this.db.get<{ content: string | null; sha256: string | null; language: string | null }>(
      'SELECT content, content_sha256 AS sha256, language FROM sources WHERE id = ?',
      [id],
    )
    if (!row?.content || !row.sha256) {
      throw new ProblemError('not-found', `Source ${id} has no archived text; its citations carry no offsets.`)
    }
    const spans = await redactionsFor(this.db, id, identity)
    if (spans.length === 0) return { content: row.content, sha256: row.sha256, language: row.language }
    const shown = redactText(row.content, spans)
    return { content: shown, sha256: sha256Hex(shown), language: row.language }
  }

  /** The sentences of a source's archived text that hold the words asked for: quotes ready to paste. */
  async passages(id: string, words: string, identity: Identity, limit = 10): Promise<{ data: Passage[] }> {
    const { content, language } = await this.content(id, identity)
    return { data: findPassages(content, words, limit, language ?? undefined) }
  }

  async list(identity: Identity, limit = 50, cursor?: string): Promise<{ data: SourceView[]; next: string | null }> {
    const after = cursor ? (decodeCursor(cursor, ['string', 'string']) as string[]) : null
    const readable = readableSources(identity)
    const rows = await this.db.all<SourceRow>(
      `SELECT ${COLUMNS} FROM sources WHERE ${readable.sql} ${after ? 'AND (created_at > ? OR (created_at = ? AND id > ?))' : ''}
       ORDER BY created_at, id LIMIT ?`,
      [...readable.params, ...(after ? [after[0], after[0], after[1]] : []), limit + 1],
    )
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    const show = await actorsShownTo(this.db, identity)
    return { data: await this.asRead(page.map((row) => view(row, show)), identity), next: rows.length > limit ? encodeCursor([last.createdAt, last.id]) : null }
  }
}
