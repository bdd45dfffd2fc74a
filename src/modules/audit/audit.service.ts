import { setImmediate } from 'node:timers/promises'
import { Identity, PUBLISHED_EVENTS, PUBLISHED_RECORDS, RESTRICTED_CLAIMS, readableRecords } from '../../core/access/access'
import { readsWithheld } from '../../core/access/public-view'
import { Database } from '../../db/database'
import type { SnapshotReads } from '../../db/read-store'
import { now } from '../../shared/time'
import { EVENT_FIELDS, PRISONER_FIELDS } from '../../core/document/fields'
import { foldQuote } from '../../core/evidence/quote-locator'
import { SourceText } from '../../core/evidence/source-text'
import { sha256Hex } from '../../shared/hash'

/** Where a citation or claim belongs: a record's field, or an event's. */
type Owner = { recordId: string } | { eventId: string }

export type AuditFailure =
  | { kind: 'source-altered'; sourceId: string; title: string; recordedSha256: string; actualSha256: string }
  | ({ kind: 'quote-mismatch'; citationId: string; sourceId: string; field: string; quote: string; atOffsets: string } & Owner)
  | ({ kind: 'offsets-missing'; citationId: string; sourceId: string; field: string } & Owner)
  | ({ kind: 'uncited-claim'; claimId: string; field: string } & Owner)

/** `{ recordId }` or `{ eventId }`, from a row that has one of them. */
const ownerOf = (row: { recordId: string | null; eventId: string | null }): Owner => (row.recordId ? { recordId: row.recordId } : { eventId: row.eventId! })

/** A failure as the check finds it: `restricted` (editors only) when it is of a private source or of a record with a withheld value, whose quotes may hold its words. */
type FoundFailure = AuditFailure & { restricted: boolean }

export interface VerifyReport {
  ok: boolean
  checkedAt: string
  sources: { total: number; archived: number; altered: number }
  citations: { total: number; checked: number; unverifiable: number; failed: number }
  claims: { uncited: number }
  failures: FoundFailure[]
  /** True when there were more failures than listed. */
  failuresTruncated: boolean
}

/** The report as one caller sees it. */
export interface CallerReport extends Omit<VerifyReport, 'failures'> {
  failures: AuditFailure[]
  /** Failures on records the caller may not read: counted above, not shown. */
  failuresHidden: number
}

const MAX_LISTED_FAILURES = 1000
// About 10 ms of work between pauses.
const YIELD_EVERY_SOURCES = 100
const YIELD_EVERY_CITATIONS = 2000

/** Re-checks the archive and the evidence from scratch, trusting nothing that was checked at write time. */
export class AuditService {
  private running: Promise<VerifyReport> | null = null

  constructor(private readonly db: Database) {}

  /**
   * Seconds of work at 100,000 records, so it pauses every few thousand rows to let other requests through,
   * and callers who ask while it runs share its report rather than starting another.
   */
  verify(): Promise<VerifyReport> {
    this.running ??= this.check().finally(() => {
      this.running = null
    })
    return this.running
  }

  /**
   * The report as the caller may see it: failures on records they may not read, and (except for editors) on withheld
   * values and private sources, are counted, not shown.
   */
  async verifyFor(identity: Identity): Promise<CallerReport> {
    const report = await this.verify()
    const shownRecords = await this.readableOf('prisoners', 'p', report.failures.flatMap((failure) => ('recordId' in failure ? [failure.recordId] : [])), identity)
    const shownEvents = await this.readableOf('events', 'e', report.failures.flatMap((failure) => ('eventId' in failure ? [failure.eventId] : [])), identity)
    const editor = readsWithheld(identity)
    const readable = (failure: FoundFailure) =>
      'recordId' in failure ? shownRecords.has(failure.recordId) : 'eventId' in failure ? shownEvents.has(failure.eventId) : true
    const failures = report.failures
      .filter((failure) => readable(failure) && (editor || !failure.restricted))
      .map(({ restricted: _restricted, ...failure }) => failure as AuditFailure)
    return { ...report, failures, failuresHidden: report.failures.length - failures.length }
  }

  /** Which of these records (or events) the caller may read (core/access). */
  private async readableOf(table: 'prisoners' | 'events', alias: 'p' | 'e', ids: string[], identity: Identity): Promise<Set<string>> {
    const unique = [...new Set(ids)]
    if (unique.length === 0) return new Set()
    const readable = readableRecords(identity, alias)
    const rows = await this.db.all<{ id: string }>(`SELECT ${alias}.id FROM ${table} ${alias} WHERE ${alias}.id IN (${unique.map(() => '?').join(',')}) AND ${readable.sql}`, [
      ...unique,
      ...readable.params,
    ])
    return new Set(rows.map((row) => row.id))
  }

  /** Every check reads one snapshot: a write committed during the run is either wholly in it or not at all. */
  private check(): Promise<VerifyReport> {
    return this.db.snapshot((reads) => this.checkSnapshot(reads))
  }

  private async checkSnapshot(reads: SnapshotReads): Promise<VerifyReport> {
    const failures: FoundFailure[] = []
    let failureCount = 0
    const fail = (failure: FoundFailure) => {
      failureCount++
      if (failures.length < MAX_LISTED_FAILURES) failures.push(failure)
    }

    // One source's text in memory at a time: archives of thousands of articles do not fit in the heap at once.
    const sources = { total: 0, archived: 0, altered: 0 }
    const archived = new Set<string>()
    const privateSources = new Set<string>()
    for await (const source of reads.iterate<{ id: string; title: string; content: string | null; sha256: string | null; private: boolean | number }>(
      'SELECT id, title, content, content_sha256 AS sha256, private FROM sources',
    )) {
      if (++sources.total % YIELD_EVERY_SOURCES === 0) await setImmediate()
      if (source.private) privateSources.add(source.id)
      if (source.content === null) continue
      archived.add(source.id)
      const actual = sha256Hex(source.content)
      if (actual !== source.sha256) {
        sources.altered++
        const { id: sourceId, title } = source
        fail({ kind: 'source-altered', sourceId, title, recordedSha256: String(source.sha256), actualSha256: actual, restricted: Boolean(source.private) })
      }
    }
    sources.archived = archived.size

    // Citations come ordered by source, so each source's text is read once, when its first citation comes.
    let current: { sourceId: string; text: SourceText } | null = null
    const textOf = async (sourceId: string): Promise<SourceText> => {
      if (current?.sourceId !== sourceId) {
        const { content } = (await reads.get<{ content: string }>('SELECT content FROM sources WHERE id = ?', [sourceId]))!
        current = { sourceId, text: new SourceText(content) }
      }
      return current.text
    }
    const citations = { total: 0, checked: 0, unverifiable: 0, failed: 0 }
    type CitationRow = { id: string; sourceId: string; quote: string; start: number | null; end: number | null; recordId: string | null; eventId: string | null; field: string }
    // Records' citations and events', by source.
    for await (const row of reads.iterate<CitationRow & { withheld: boolean | number }>(
      `SELECT c.id, c.source_id AS "sourceId", c.quote, c.quote_start AS start, c.quote_end AS "end", k.prisoner_id AS "recordId", NULL AS "eventId", k.field,
         CASE WHEN ${RESTRICTED_CLAIMS.sql} THEN 1 ELSE 0 END AS withheld
       FROM citations c JOIN claims k ON k.id = c.claim_id JOIN prisoners p ON p.id = k.prisoner_id
       UNION ALL
       SELECT c.id, c.source_id, c.quote, c.quote_start, c.quote_end, NULL, k.event_id, k.field, 0
       FROM event_citations c JOIN event_claims k ON k.id = c.claim_id
       ORDER BY 2, 1`,
      RESTRICTED_CLAIMS.params,
    )) {
      const { recordId: _record, eventId: _event, ...c } = { ...row, owner: ownerOf(row) }
      if (++citations.total % YIELD_EVERY_CITATIONS === 0) await setImmediate()
      const restricted = Boolean(c.withheld) || privateSources.has(c.sourceId)
      if (!archived.has(c.sourceId)) {
        citations.unverifiable++
        continue
      }
      citations.checked++
      if (c.start === null || c.end === null) {
        citations.failed++
        fail({ kind: 'offsets-missing', citationId: c.id, sourceId: c.sourceId, ...c.owner, field: c.field, restricted })
        continue
      }
      const atOffsets = (await textOf(c.sourceId)).slice(c.start, c.end)
      // Most quotes are the very words at their offsets; only the others need folding to compare.
      if (atOffsets !== c.quote && foldQuote(atOffsets) !== foldQuote(c.quote)) {
        citations.failed++
        fail({ kind: 'quote-mismatch', citationId: c.id, sourceId: c.sourceId, ...c.owner, field: c.field, quote: c.quote, atOffsets, restricted })
      }
    }

    const uncited = await reads.all<{ claimId: string; recordId: string | null; eventId: string | null; field: string; withheld: boolean | number }>(
      `SELECT k.id AS "claimId", k.prisoner_id AS "recordId", NULL AS "eventId", k.field, k.withheld FROM claims k
       WHERE k.rank <> 'deprecated' AND NOT EXISTS (SELECT 1 FROM citations c WHERE c.claim_id = k.id)
       UNION ALL
       SELECT k.id, NULL, k.event_id, k.field, FALSE FROM event_claims k
       WHERE k.rank <> 'deprecated' AND NOT EXISTS (SELECT 1 FROM event_citations c WHERE c.claim_id = k.id)`,
    )
    for (const { withheld, claimId, field, ...owner } of uncited) fail({ kind: 'uncited-claim', claimId, ...ownerOf(owner), field, restricted: Boolean(withheld) })

    return {
      ok: failureCount === 0,
      checkedAt: now(),
      sources,
      citations,
      claims: { uncited: uncited.length },
      failures,
      failuresTruncated: failureCount > failures.length,
    }
  }

  /** How much of what the registry publishes is cited, and where sources disagree. */
  async coverage() {
    const totals = (await this.db.get<{ records: number }>(`SELECT COUNT(*) AS records FROM prisoners p WHERE ${PUBLISHED_RECORDS.sql}`))!
    const rows = await this.db.all<{ field: string; values: number; cited: number; disagreements: number }>(
      `SELECT k.field,
         SUM(CASE WHEN k.rank = 'preferred' THEN 1 ELSE 0 END) AS "values",
         SUM(CASE WHEN k.rank = 'preferred' AND EXISTS (SELECT 1 FROM citations c WHERE c.claim_id = k.id) THEN 1 ELSE 0 END) AS cited,
         COUNT(DISTINCT CASE WHEN k.rank = 'normal' THEN k.prisoner_id END) AS disagreements
       FROM claims k JOIN prisoners p ON p.id = k.prisoner_id WHERE ${PUBLISHED_RECORDS.sql} GROUP BY k.field`,
    )
    const byField = Object.fromEntries(
      PRISONER_FIELDS.map((field) => {
        const row = rows.find((r) => r.field === field)
        return [field, { values: row?.values ?? 0, citedValues: row?.cited ?? 0, withDisagreement: row?.disagreements ?? 0 }]
      }),
    )
    const sum = (key: 'values' | 'citedValues' | 'withDisagreement') =>
      Object.values(byField).reduce((total, field) => total + field[key], 0)
    return {
      records: totals.records,
      values: sum('values'),
      citedValues: sum('citedValues'),
      fieldsWithDisagreements: sum('withDisagreement'),
      byField,
      events: await this.eventCoverage(),
    }
  }

  /** The same counts for the public events' fields (deleted or unreviewed events left out, as such records). */
  private async eventCoverage() {
    const { events } = (await this.db.get<{ events: number }>(`SELECT COUNT(*) AS events FROM events e WHERE ${PUBLISHED_EVENTS.sql}`, PUBLISHED_EVENTS.params))!
    const rows = await this.db.all<{ field: string; values: number; cited: number; disagreements: number }>(
      `SELECT k.field,
         SUM(CASE WHEN k.rank = 'preferred' THEN 1 ELSE 0 END) AS "values",
         SUM(CASE WHEN k.rank = 'preferred' AND EXISTS (SELECT 1 FROM event_citations c WHERE c.claim_id = k.id) THEN 1 ELSE 0 END) AS cited,
         COUNT(DISTINCT CASE WHEN k.rank = 'normal' THEN k.event_id END) AS disagreements
       FROM event_claims k JOIN events e ON e.id = k.event_id WHERE ${PUBLISHED_EVENTS.sql} GROUP BY k.field`,
      PUBLISHED_EVENTS.params,
    )
    const byField = Object.fromEntries(
      EVENT_FIELDS.map((field) => {
        const row = rows.find((r) => r.field === field)
        return [field, { values: row?.values ?? 0, citedValues: row?.cited ?? 0, withDisagreement: row?.disagreements ?? 0 }]
      }),
    )
    const sum = (key: 'values' | 'citedValues' | 'withDisagreement') => Object.values(byField).reduce((total, field) => total + field[key], 0)
    return { events, values: sum('values'), citedValues: sum('citedValues'), fieldsWithDisagreements: sum('withDisagreement'), byField }
  }
}
