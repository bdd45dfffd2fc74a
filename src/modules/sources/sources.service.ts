import { sha256Hex } from '../../shared/hash'
import { Passage, findPassages } from '../../core/evidence/passages'
import { newId } from '../../shared/ids'
import { Identity, canRecapture, readableSources, readsCaptureArchive } from '../../core/access/access'
import { Capture, CaptureRow, capturesOf, recordCapture, warcFileOf } from '../../core/capture/captures'
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
  /** What its address served each time the registry fetched it, oldest first (docs/design.md §3.4). */
  captures: CaptureView[]
}

/** What everyone who reads a source reads of a capture: metadata and the WARC's fingerprint, not the page. */
export type CaptureView = Pick<CaptureRow, 'id' | 'requestedUrl' | 'finalUrl' | 'status' | 'contentType' | 'capturedAt' | 'warcSha256' | 'warcSize'> & {
  /** Whether the text read from this capture differs from the source's archived text (SHA-256 compared). */
  textChanged: boolean
  capturedBy: string
}

/** The body of a re-capture's answer. */
export interface RecaptureView {
  capture: CaptureView
  textChanged: boolean
}

/** The language a page declares, when it is a tag the source's `language` takes. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

function captureView(row: CaptureRow, archivedSha256: string | null, show: ShowActor): CaptureView {
  // Field by field: a stored row also holds the WARC and the text, which reads leave to their own routes.
  const { id, requestedUrl, finalUrl, status, contentType, capturedAt, warcSha256, warcSize, textSha256, createdBy, createdByKey, createdByRole } = row
  return {
    id,
    requestedUrl,
    finalUrl,
    status,
    contentType,
    capturedAt,
    warcSha256,
    warcSize,
    textChanged: textSha256 !== archivedSha256,
    capturedBy: show({ name: createdBy, key: createdByKey, role: createdByRole }),
  }
}

const COLUMNS = `id, title, publisher, url, published_at AS "publishedAt", retrieved_at AS "retrievedAt", language, kind, note,
  content_sha256 AS "contentSha256", LENGTH(content) AS "contentLength", created_at AS "createdAt", created_by AS "addedBy",
  created_by_key AS "addedByKey", created_by_role AS "addedByRole", private`

type SourceRow = Omit<SourceView, 'hasContent' | 'private' | 'captures'> & { private: boolean | number; addedByKey: string | null; addedByRole: string | null }

function view(row: SourceRow, show: ShowActor, captures: CaptureRow[]): SourceView {
  const { contentLength, contentSha256, createdAt, addedBy, addedByKey, addedByRole, private: isPrivate, ...rest } = row
  const shownAddedBy = addedBy === null ? null : show({ name: addedBy, key: addedByKey, role: addedByRole })
  return {
    ...rest,
    hasContent: contentSha256 !== null,
    contentLength,
    contentSha256,
    createdAt,
    addedBy: shownAddedBy,
    private: Boolean(isPrivate),
    captures: captures.map((capture) => captureView(capture, contentSha256, show)),
  }
}

/** A source's rows with their captures, as the caller is shown them. */
async function views(db: Database, rows: SourceRow[], show: ShowActor): Promise<SourceView[]> {
  const captures = await capturesOf(db, rows.map((row) => row.id))
  return rows.map((row) => view(row, show, captures.get(row.id) ?? []))
}

export class SourcesService {
  constructor(private readonly db: Database) {}

  /**
   * Archives a source; the SHA-256 of its text is computed here, never taken from the client. With `captured` (the
   * page at its url, fetched before this transaction), the capture's text is the archived text, and what the
   * volunteer left out of title, language and retrievedAt is taken from the page.
   */
  create(
    input: CreateSourceDto,
    { actor, id = newId(), dryRun = false, captured }: { actor: Actor; id?: string; dryRun?: boolean; captured?: Capture },
  ): Promise<SourceView> {
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(SourceEntity, { id })) {
        throw new ProblemError('conflict', `A source with id ${id} already exists.`)
      }
      const content = captured ? captured.readable.text : (input.content ?? null)
      const pageLanguage = captured?.readable.language
      const source = manager.create(SourceEntity, {
        id,
        title: input.title ?? [...(captured?.readable.title || captured?.page.finalUrl || '')].slice(0, 500).join(''),
        publisher: input.publisher ?? null,
        url: input.url ?? null,
        publishedAt: input.publishedAt ?? null,
        retrievedAt: input.retrievedAt ?? captured?.capturedAt.slice(0, 10) ?? null,
        language: input.language ?? (pageLanguage && pageLanguage.length <= 35 && LANGUAGE_TAG.test(pageLanguage) ? pageLanguage : null),
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
      const row = captured ? await recordCapture(manager, id, captured, actor) : null
      const { contentSha256, createdAt, createdBy, createdByKey: _key, createdByRole: _role, content: text, private: isPrivate, ...metadata } = source
      // As reads will show it; LENGTH() in SQL counts code points, as the spread does.
      const contentLength = text === null ? null : [...text].length
      const captures = row ? [captureView(row, contentSha256, () => actor.name)] : []
      return { ...metadata, hasContent: text !== null, contentLength, contentSha256, createdAt, addedBy: createdBy, private: isPrivate, captures }
    }, { dryRun })
  }

  /**
   * The source, for a new capture of its address: one the caller may read (else 404), may capture again
   * (core/access: editors and the key that added it; else 403), and that has an address (else 422).
   */
  async forRecapture(id: string, identity: Identity): Promise<{ url: string }> {
    const source = await this.readableRow(id, identity)
    if (!canRecapture(identity, source)) {
      throw new ProblemError('forbidden', 'Only editors and the key that added a source capture it again.')
    }
    if (source.url === null) {
      throw new ProblemError('address-refused', `Source ${id} has no address (url) to capture.`, [{ path: 'url', message: 'url is not given for this source, so there is nothing to capture' }])
    }
    return { url: source.url }
  }

  /**
   * Stores a new capture of a source. Its archived text stays what it was, whatever the page now says: the quotes
   * of its citations were checked against that text and point into it (invariant 2). The answer says whether the
   * page's text changed since (SHA-256 compared); the new text is kept with the capture.
   */
  async recapture(id: string, captured: Capture, actor: Actor): Promise<RecaptureView> {
    return this.db.transaction(async (manager) => {
      const source = await manager.findOneBy(SourceEntity, { id })
      if (!source) throw new ProblemError('not-found', `No source with id ${id}.`)
      const row = await recordCapture(manager, id, captured, actor)
      const capture = captureView(row, source.contentSha256, () => actor.name)
      return { capture, textChanged: capture.textChanged }
    })
  }

  /**
   * The WARC file of a source's captures, for whoever core/access lets read it: the source's readers, but editors
   * alone once its text has redacted spans (the file holds the page whole). 404 when there is none to read.
   */
  async warc(id: string, identity: Identity): Promise<Buffer> {
    await this.readable(id, identity)
    const redacted = (await redactionsOf(this.db, [id])).has(id)
    if (!readsCaptureArchive(identity, redacted)) {
      throw new ProblemError('not-found', `Source ${id} has no capture you may read: its text has redacted spans, and the page holds them whole.`)
    }
    const file = await warcFileOf(this.db, id)
    if (!file) throw new ProblemError('not-found', `Source ${id} was not captured from its address; it has no WARC file.`)
    return file
  }

  /** A source the caller may read (core/access: private ones are for editors); 404 otherwise. */
  async findOrFail(id: string, identity: Identity): Promise<SourceView> {
    return (await this.asRead([await this.readable(id, identity)], identity))[0]
  }

  private async readable(id: string, identity: Identity): Promise<SourceView> {
    return (await views(this.db, [await this.readableRow(id, identity)], await actorsShownTo(this.db, identity)))[0]
  }

  private async readableRow(id: string, identity: Identity): Promise<SourceRow> {
    const readable = readableSources(identity)
    const row = await this.db.get<SourceRow>(`SELECT ${COLUMNS} FROM sources WHERE id = ? AND ${readable.sql}`, [id, ...readable.params])
    if (!row) throw new ProblemError('not-found', `No source with id ${id}.`)
    return row
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
    return { data: await this.asRead(await views(this.db, page, show), identity), next: rows.length > limit ? encodeCursor([last.createdAt, last.id]) : null }
  }
}
