import { createHash } from 'node:crypto'
import { Identity, PUBLISHED_RECORDS } from '../../core/access/access'
import { actorsShownTo } from '../../core/access/actors'
import { RevisionDiff, readDiff } from '../../core/document/revision-diff'
import { maskOfStored, publicDiff, readsWithheld, withheldFields } from '../../core/access/public-view'
import { redactedFor } from '../../core/access/redactions'
import { StoredRecord, findReadableRecord } from '../../core/record/record-reads'
import { Database } from '../../db/database'
import { ProblemError } from '../../errors'
import { decodeCursor, encodeCursor } from '../../shared/cursor'
import { strongEtag } from '../../shared/etag'
import { foldName } from '../../core/search/name-keys'
import { MatchingClaim, marks, matchingClaimsQuery, queryWords, rankPeople } from '../../core/search/name-search'
import { ListPrisonersQuery, ListSort, RANGE_FIELDS, SORTED_FIELDS, splitIdentifier } from './prisoners.dto'
import { NAMES_FIELDS, declarationOf, foldedWords } from '../../core/document/record-fields'

/** A page of records, each already serialised as reads show it. */
export interface Page {
  items: string[]
  next: string | null
  /** The page's strong ETag (pageEtag). */
  etag: string
}

/**
 * A page's ETag from what its body is made of: the records' stored ETags (each a digest of the document it
 * names), what else each item holds, and `next`. The same page is the same tag, and any change of a byte of it
 * a new one, without hashing the body: a page of 50 is about 170 KB, and hashing it was a quarter of the
 * CPU of a list (bench/RESULTS.md).
 */
function pageEtag(kind: 'list' | 'search', items: string[], next: string | null): string {
  return strongEtag(JSON.stringify([kind, items, next]))
}

const DEFAULT_LIMIT = 50

const SORT_COLUMNS: Record<ListSort, { expression: string; descending: boolean }> = {
  name: { expression: 'p.sort_name', descending: false },
  '-name': { expression: 'p.sort_name', descending: true },
  // Each field declared sortable, on the column that copies its value (core/document/record-fields.ts).
  ...Object.fromEntries(
    SORTED_FIELDS.flatMap((field) => {
      const expression = `COALESCE(p.${declarationOf(field).column!.name}, '')`
      return [
        [field, { expression, descending: false }],
        [`-${field}`, { expression, descending: true }],
      ]
    }),
  ),
  createdAt: { expression: 'p.created_at', descending: false },
  '-createdAt': { expression: 'p.created_at', descending: true },
}

/** The date ranges a list asks for, each on the column of its field, as its declaration names them. */
function rangesAsked(query: ListPrisonersQuery): { field: string; column: string; from?: string; to?: string }[] {
  const asked = query as unknown as Record<string, string | undefined>
  return RANGE_FIELDS.map((field) => {
    const { column, range } = declarationOf(field)
    return { field, column: column!.name, from: asked[range!.from], to: asked[range!.to] }
  })
}

/** Up to this many records found by their ids are named in the list's query; more are matched by a subquery. */
const MAX_LISTED_IDS = 200

/** The ids a list asks for: `wikidata=Q…` and `identifier=scheme:id`, both of which a record must carry. */
function identifierFilters({ wikidata, identifier }: ListPrisonersQuery): { scheme: string; id: string }[] {
  return [...(wikidata ? [{ scheme: 'wikidata', id: wikidata }] : []), ...(identifier ? [splitIdentifier(identifier)!] : [])]
}

/**
 * The WHERE clauses of the filters, shared by plain lists and name search. `carrying`: the records that carry the ids
 * the query asks for (idsCarrying), when it asks for any.
 */
function filterClauses(query: ListPrisonersQuery, carrying: string[] | null): { sql: string[]; params: unknown[] } {
  // Lists and search are the public registry, whatever the key (core/access).
  const sql: string[] = [PUBLISHED_RECORDS.sql]
  const params: unknown[] = [...PUBLISHED_RECORDS.params]
  const add = (clause: string, value: unknown) => {
    sql.push(clause)
    params.push(value)
  }
  // One value is `= ?` as it always was (the same plan); several, IN.
  const anyOf = (column: string, values: string[] | undefined) => {
    if (!values?.length) return
    sql.push(values.length === 1 ? `${column} = ?` : `${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
  }
  anyOf('p.nationality', query.nationality)
  anyOf('p.status', query.status)
  anyOf('p.destination_country', query.destination)
  for (const { column, from, to } of rangesAsked(query)) {
    if (from) add(`p.${column} >= ?`, from)
    // '~' sorts after every digit and '-', so 2025-06 includes 2025-06-30.
    if (to) add(`p.${column} <= ?`, `${to}~`)
  }
  for (const field of NAMES_FIELDS) {
    const { name, param } = declarationOf(field).names!
    const asked = (query as unknown as Record<string, string | undefined>)[param]
    // Folded to letters, digits and single spaces, the words hold no LIKE wildcard; the spaces around keep them whole.
    if (asked) add(`p.${name} LIKE ?`, `% ${foldedWords(asked)} %`)
  }
  if (query.event) add('EXISTS (SELECT 1 FROM event_participants ep WHERE ep.prisoner_id = p.id AND ep.event_id = ?)', query.event)
  if (carrying && carrying.length <= MAX_LISTED_IDS) {
    // The records already found by their ids, as a list of values: SQLite then starts from their primary key (0.02 ms
    // at 100,000 records) rather than read the list's order and test each row against a subquery (13 ms).
    sql.push(carrying.length ? `p.id IN (${marks(carrying)})` : '1 = 0')
    params.push(...carrying)
  } else if (carrying) {
    // Many records carrying one id (submissions waiting for review have their rows too): the subquery, bounded as any list.
    for (const { scheme, id } of identifierFilters(query)) {
      sql.push('p.id IN (SELECT pi.prisoner_id FROM prisoner_identifiers pi WHERE pi.scheme = ? AND pi.value = ?)')
      params.push(scheme, id)
    }
  }
  return { sql, params }
}

/** Reads of prisoner records: hand-written SQL over the ready-made read documents (docs/design.md §6). */
export class PrisonersRepository {
  constructor(private readonly db: Database) {}

  /** A record's read document and ETag, if the caller may read it (core/access); 404 otherwise, whatever the reason. */
  findReadable(id: string, identity: Identity): Promise<StoredRecord> {
    return findReadableRecord(this.db, id, identity)
  }

  /** The revisions of a record, newest first; for everyone but editors, without what is withheld now or private. */
  async history(id: string, identity: Identity): Promise<RevisionView[]> {
    const show = await actorsShownTo(this.db, identity)
    const rows = (
      await this.db.all<Omit<RevisionView, 'changes'> & { diff: string; actorKey: string | null; actorRole: string | null }>(
        'SELECT version, action, actor, actor_key AS "actorKey", actor_role AS "actorRole", at, comment, diff FROM revisions WHERE prisoner_id = ? ORDER BY version DESC',
        [id],
      )
    ).map(({ actorKey, actorRole, ...revision }) => ({ ...revision, actor: show({ name: revision.actor, key: actorKey, role: actorRole }) }))
    if (readsWithheld(identity)) return rows.map(({ diff, ...revision }) => ({ ...revision, changes: readDiff(diff) }))
    const record = (await this.db.get<{ withheld: string | null; editorDocument: string | null }>(
      'SELECT withheld, editor_document AS "editorDocument" FROM prisoners WHERE id = ?',
      [id],
    ))!
    const [withheld, mask, redacted] = [withheldFields(record.withheld), maskOfStored(record), await redactedFor(this.db, identity)]
    return rows.map(({ diff, ...revision }) => ({ ...revision, changes: publicDiff(readDiff(diff), withheld, mask, redacted) }))
  }

  /**
   * The records that carry every id the query asks for (`wikidata`, `identifier`), through the index of public ids
   * (the writer keeps it from the public document: a withheld id is carried by no one); null when it asks for none.
   * An id names one person, so these are few; those that are not published are left to the other clauses.
   */
  private async idsCarrying(query: ListPrisonersQuery): Promise<string[] | null> {
    const wanted = identifierFilters(query)
    if (!wanted.length) return null
    let carrying: string[] | null = null
    for (const { scheme, id } of wanted) {
      const rows = await this.db.all<{ id: string }>('SELECT prisoner_id AS "id" FROM prisoner_identifiers WHERE scheme = ? AND value = ?', [scheme, id])
      const found = rows.map((row) => row.id)
      carrying = carrying === null ? found : carrying.filter((one) => found.includes(one))
    }
    return carrying
  }

  list(query: ListPrisonersQuery): Promise<Page> {
    return query.q === undefined ? this.browse(query) : this.search(query, query.q)
  }

  private async browse(query: ListPrisonersQuery): Promise<Page> {
    const limit = query.limit ?? DEFAULT_LIMIT
    const sort = query.sort ?? 'name'
    const { expression, descending } = SORT_COLUMNS[sort]
    const { sql, params } = filterClauses(query, await this.idsCarrying(query))
    if (query.cursor) {
      // A cursor holds a position in one order: read in another, it would skip or repeat records silently.
      const [sortedBy, value, id] = decodeCursor(query.cursor, ['string', 'string', 'string'])
      if (sortedBy !== sort) {
        throw new ProblemError('invalid-request', `This cursor pages the list sorted by ${String(sortedBy)}, not ${sort}.`, [
          { path: 'cursor', message: `ask again with sort=${String(sortedBy)}, or start from the first page without cursor` },
        ])
      }
      // A row value, not "a > ? OR (a = ? AND id > ?)": SQLite seeks the index with it (0.3 ms, not 7, at 100,000 records).
      sql.push(`(${expression}, p.id) ${descending ? '<' : '>'} (?, ?)`)
      params.push(value, id)
    }
    const order = descending ? 'DESC' : 'ASC'
    const rows = await this.db.all<{ id: string; document: string; etag: string; position: string }>(
      `SELECT p.id, p.document, p.etag, ${expression} AS position FROM prisoners p WHERE ${sql.join(' AND ')}
       ORDER BY ${expression} ${order}, p.id ${order} LIMIT ?`,
      [...params, limit + 1],
    )
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    const next = rows.length > limit ? encodeCursor([sort, last.position, last.id]) : null
    return {
      items: page.map((row) => row.document),
      next,
      etag: pageEtag('list', page.map((row) => row.etag), next),
    }
  }

  /**
   * Name search: every word of `q` must match a word of one name claim, compared by keys that bring
   * spellings and scripts together (name-keys.ts), through the name_keys index (name-search.ts). Results
   * are ranked: the same spelling first, then other spellings; preferred names before alternatives. Each
   * item says which name matched. Only the page's documents are read.
   */
  private async search(query: ListPrisonersQuery, q: string): Promise<Page> {
    const words = queryWords(q)
    if (words.length === 0) {
      throw new ProblemError('invalid-request', 'q has no letters to search for.', [
        { path: 'q', message: 'give a name, in any spelling or script' },
      ])
    }
    const limit = query.limit ?? DEFAULT_LIMIT
    // An offset means something only in the results of the same search (its fingerprint, worked out only when a
    // cursor is given or made: most searches have one page).
    const [madeFor, offset] = query.cursor ? (decodeCursor(query.cursor, ['string', 'count']) as [string, number]) : [undefined, 0]
    if (madeFor !== undefined && madeFor !== searchFingerprint(query)) {
      throw new ProblemError('invalid-request', 'This cursor pages the results of another search.', [
        { path: 'cursor', message: 'send it with the same q and filters as the page it came from, or start without cursor' },
      ])
    }
    const matching = matchingClaimsQuery(q, words, filterClauses(query, await this.idsCarrying(query)), this.db.dialect)
    const ranked = rankPeople(await this.db.all<MatchingClaim>(matching.sql, matching.params))
    const page = ranked.slice(offset, offset + limit)
    const stored = new Map(
      page.length
        ? (
            await this.db.all<{ id: string; document: string; etag: string }>(
              `SELECT id, document, etag FROM prisoners WHERE id IN (${marks(page)})`,
              page.map((hit) => hit.id),
            )
          ).map((row) => [row.id, row])
        : [],
    )
    const hits = page.map((hit) => ({
      // claims.value is JSON.stringify's text (record-writer.ts): embedded as it is, it reads as parsing and writing it again would.
      match: `{"claimId":${JSON.stringify(hit.claimId)},"value":${hit.value},"rank":${JSON.stringify(hit.rank)},"sameSpelling":${hit.score >= 2}}`,
      row: stored.get(hit.id)!,
    }))
    const next = offset + limit < ranked.length ? encodeCursor([madeFor ?? searchFingerprint(query), offset + limit]) : null
    return {
      items: hits.map(({ match, row }) => `{"match":${match},${row.document.slice(1)}`),
      next,
      etag: pageEtag('search', hits.map(({ match, row }) => match + row.etag), next),
    }
  }
}

/** A short digest of what a search asked: its words as folded, and its filters. */
function searchFingerprint(query: ListPrisonersQuery): string {
  const { q, nationality, status, destination, event } = query
  const identifiers = identifierFilters(query)
  // A filter of one value reads as before several were allowed, so that cursors made then still hold; so do the
  // release dates, in their place, while the ranges declared since count only when asked.
  const one = (values: string[] | undefined) => (values?.length === 1 ? values[0] : values)
  const [released, ...since] = rangesAsked(query)
  const ranges = since.filter(({ from, to }) => from || to).map(({ field, from, to }) => [field, from ?? null, to ?? null])
  const asked = JSON.stringify([
    foldName(q ?? ''),
    one(nationality),
    one(status),
    one(destination),
    released.from,
    released.to,
    ...(event ? [event] : []),
    ...(identifiers.length ? [identifiers] : []),
    ...ranges,
  ])
  return createHash('sha256').update(asked).digest('base64url').slice(0, 12)
}

export interface RevisionView {
  version: number
  action: string
  actor: string
  at: string
  comment: string | null
  changes: RevisionDiff
}

