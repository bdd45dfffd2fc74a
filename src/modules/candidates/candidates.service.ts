import { Caller, Identity, PUBLISHED_RECORDS, readableSources, startingReviewStatus } from '../../core/access/access'
import { actorOf } from '../../core/access/actors'
import { recordAs } from '../../core/access/public-view'
import { redactText, redactionsFor } from '../../core/access/redactions'
import type { FieldView, PrisonerDocument } from '../../core/document/fields'
import { FieldInput, checkEvidence } from '../../core/evidence/evidence'
import { SearchBudgetSpent } from '../../core/evidence/quote-locator'
import { WorkBudget } from '../../core/evidence/work-budget'
import { pendingProposal } from '../../core/record/proposals'
import { findReadableRecord } from '../../core/record/record-reads'
import { RecordWriter } from '../../core/record/record-writer'
import { matchingClaimsQuery, queryWords, rankPeople, type MatchingClaim } from '../../core/search/name-search'
import { readStatement, type Quoted, type StatementCandidate, type UnparsedEntry } from '../../core/statements/statement-reader'
import { Database } from '../../db/database'
import { ProposalEntity } from '../../db/entities/proposal.entity'
import { FieldError, ProblemError } from '../../errors'
import { newId } from '../../shared/ids'
import { CANDIDATE_FIELDS, type CandidateField, SubmitCandidatesDto } from './candidates.dto'

/** A field of a write, as POST /v1/prisoners takes it: the value, its citations, the alternatives. */
interface WriteField {
  value: unknown
  citations: { sourceId: string; quote: string; note?: string }[]
  alternatives?: { value: unknown; citations: { sourceId: string; quote: string; note?: string }[] }[]
}

export interface CandidateView extends StatementCandidate {
  /** What submitting it does: a new pending record, a proposal to the record it matched, or nothing (it says nothing new). */
  action: 'create' | 'propose' | 'nothing'
  /** The published record whose name matched (the registry's name search, across scripts and spellings). */
  match?: { prisonerId: string; name: string; version: number }
  /** The write it submits, field by field: for a match, only the fields whose value differs, its current claims kept. */
  fields: Partial<Record<CandidateField, WriteField>>
  /** What of the statement it leaves to the volunteer (charges without a sentence, a field the caller may not re-cite). */
  notes: string[]
}

export interface CandidatesAnswer {
  sourceId: string
  layout: string
  recognition?: Quoted<{ by: string[]; date?: string }>
  candidates: CandidateView[]
  unparsed: UnparsedEntry[]
}

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]))
  return value
}

/** The values a candidate gives each field of a record. */
function valuesOf(candidate: StatementCandidate): Partial<Record<CandidateField, Quoted<unknown>>> {
  return {
    name: candidate.name,
    ...(candidate.status ? { status: candidate.status } : {}),
    ...(candidate.sentence ? { sentence: candidate.sentence } : {}),
    ...(candidate.recognition ? { recognition: candidate.recognition } : {}),
  }
}

/**
 * A statement read into candidate records (core/statements) and matched against the registry; then the candidates a
 * volunteer keeps, submitted through the record writer as pending records and proposals, in one transaction.
 */
export class CandidatesService {
  constructor(private readonly db: Database) {}

  /** The statement's text as the caller reads it (redacted words replaced, as GET /v1/sources/{id}/content shows them). */
  private async statementText(sourceId: string, identity: Identity): Promise<{ shown: string; original: string }> {
    const readable = readableSources(identity)
    const row = await this.db.get<{ content: string | null }>(`SELECT content FROM sources WHERE id = ? AND ${readable.sql}`, [sourceId, ...readable.params])
    if (!row) throw new ProblemError('not-found', `No source with id ${sourceId}.`)
    if (!row.content) {
      throw new ProblemError('validation-failed', 'The source has no archived text to read.', [
        { path: '/id', message: 'id must name a source with archived text: add the statement with its text as `content` (POST /v1/sources)' },
      ])
    }
    return { shown: redactText(row.content, await redactionsFor(this.db, sourceId, identity)), original: row.content }
  }

  /** The published record a name is, when the search finds one. */
  private async matchOf(name: string): Promise<MatchingClaim | undefined> {
    const words = queryWords(name)
    if (words.length === 0) return undefined
    const query = matchingClaimsQuery(name, words, { sql: [PUBLISHED_RECORDS.sql], params: [...PUBLISHED_RECORDS.params] }, this.db.dialect)
    return rankPeople(await this.db.all<MatchingClaim>(query.sql, query.params))[0]
  }

  async read(sourceId: string, identity: Identity): Promise<CandidatesAnswer> {
    const { shown, original } = await this.statementText(sourceId, identity)
    let reading: ReturnType<typeof readStatement>
    try {
      reading = readStatement(shown, new WorkBudget())
    } catch (error) {
      if (!(error instanceof SearchBudgetSpent)) throw error
      throw new ProblemError('validation-failed', 'The statement is too long to read in one request.', [
        { path: '/id', message: 'id names a text too long to read at once: split the statement into sources of a few hundred people each' },
      ])
    }
    const points = [...original]
    // A quote must be the archived words themselves: one over words an editor redacted is no quote.
    const intact = (quoted: Quoted<unknown> | undefined) => !quoted || points.slice(quoted.start, quoted.end).join('') === quoted.quote
    const unparsed = [...reading.unparsed]
    const candidates: CandidateView[] = []
    for (const candidate of reading.candidates) {
      if (!intact(candidate.name)) {
        unparsed.push({ text: candidate.name.quote, start: candidate.name.start, end: candidate.name.end, reason: 'its name is withheld' })
        continue
      }
      const kept: StatementCandidate = { ...candidate, index: candidates.length }
      for (const key of ['status', 'charges', 'sentence', 'recognition'] as const) if (!intact(kept[key])) delete kept[key]
      candidates.push(await this.view(kept, sourceId, identity))
    }
    return { sourceId, layout: reading.layout, ...(reading.recognition && intact(reading.recognition) ? { recognition: reading.recognition } : {}), candidates, unparsed }
  }

  /** A candidate with what it would submit: a new record, or the fields that differ from the record it matched. */
  private async view(read: StatementCandidate, sourceId: string, identity: Identity, asNew = false): Promise<CandidateView> {
    // What the statement says of the person, without what an earlier view made of it.
    const { match: _match, action: _action, fields: _fields, notes: _notes, ...candidate } = read as StatementCandidate & Partial<CandidateView>
    const notes = candidate.charges && !candidate.sentence ? ['The statement gives articles but no sentence: a record keeps charges only in its sentence, so they are not submitted.'] : []
    const cite = (quoted: Quoted<unknown>): WriteField => ({ value: quoted.value, citations: [{ sourceId, quote: quoted.quote }] })
    const values = valuesOf(candidate)
    const match = asNew ? undefined : await this.matchOf(candidate.name.value)
    if (!match) {
      const fields = Object.fromEntries(Object.entries(values).map(([field, quoted]) => [field, cite(quoted)]))
      return { ...candidate, action: 'create', fields, notes }
    }
    const stored = await findReadableRecord(this.db, match.id, identity)
    const document = JSON.parse(recordAs(identity, stored).document) as PrisonerDocument
    const fields: Partial<Record<CandidateField, WriteField>> = {}
    for (const [field, quoted] of Object.entries(values) as [CandidateField, Quoted<unknown>][]) {
      // The name is how it matched: the record keeps its own spelling.
      if (field === 'name') continue
      const current: FieldView = document[field]
      const said = [...(current.value === null ? [] : [current.value]), ...current.alternatives.map((a) => a.value)]
      if (said.some((value) => same(value, quoted.value))) continue
      if (current.withheld || [current, ...current.alternatives].some((claim) => 'citations' in claim && claim.citations.some((c) => c.sourceId === null || c.quote === null))) {
        notes.push(`${field}: the record's value rests on evidence you cannot cite again (withheld or private), so the statement's is not proposed.`)
        continue
      }
      const again = (citations: FieldView['citations']) => citations.map(({ sourceId, quote, note }) => ({ sourceId: sourceId!, quote: quote!, ...(note ? { note } : {}) }))
      fields[field] =
        current.value === null
          ? cite(quoted)
          : {
              // The record's value stays preferred; the statement's joins it as an alternative for an editor to weigh.
              value: current.value,
              citations: again(current.citations),
              alternatives: [...current.alternatives.map((a) => ({ value: a.value, citations: again(a.citations) })), { value: quoted.value, citations: [{ sourceId, quote: quoted.quote }] }],
            }
    }
    const version = (document as unknown as { version: number }).version
    return { ...candidate, action: Object.keys(fields).length ? 'propose' : 'nothing', match: { prisonerId: match.id, name: JSON.parse(match.value) as string, version }, fields, notes }
  }

  /** Submits the kept candidates: each a pending record or a proposal; every problem of every one in one 422, nothing saved. */
  async submit(sourceId: string, input: SubmitCandidatesDto, caller: Caller): Promise<{ records: { index: number; id: string }[]; proposals: { index: number; id: string; prisonerId: string }[]; unchanged: number[] }> {
    const { candidates } = await this.read(sourceId, caller)
    const problems: FieldError[] = []
    const keep = input.keep ?? candidates.map((candidate) => candidate.index)
    keep.forEach((index, at) => {
      if (index >= candidates.length) problems.push({ path: `/keep/${at}`, message: `keep names candidate ${index}, but the statement has ${candidates.length} (0 to ${candidates.length - 1})` })
    })
    ;(input.edits ?? []).forEach((edit, at) => {
      if (!keep.includes(edit.index)) problems.push({ path: `/edits/${at}/index`, message: `index ${edit.index} is not among the candidates kept` })
    })
    if (problems.length) throw new ProblemError('validation-failed', 'The candidates to submit are not all in the statement.', problems)

    const edited = new Map((input.edits ?? []).map((edit) => [edit.index, edit]))
    const chosen: CandidateView[] = []
    for (const index of keep) {
      const edit = edited.get(index)
      const candidate = edit?.asNew ? await this.view(candidates[index], sourceId, caller, true) : candidates[index]
      const fields = Object.fromEntries(Object.entries(candidate.fields).filter(([field]) => !edit?.leaveOut?.includes(field)))
      chosen.push({ ...candidate, fields })
    }

    return this.db.transaction(async (manager) => {
      const writer = new RecordWriter(manager)
      const done = { records: [] as { index: number; id: string }[], proposals: [] as { index: number; id: string; prisonerId: string }[], unchanged: [] as number[] }
      for (const candidate of chosen) {
        if (Object.keys(candidate.fields).length === 0) {
          done.unchanged.push(candidate.index)
          continue
        }
        let checked: Awaited<ReturnType<typeof checkEvidence>>
        try {
          checked = await checkEvidence(this.db, candidate.fields as Record<string, FieldInput>, caller)
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error
          // Each problem at its candidate's path, so that one answer names them all.
          for (const problem of error.errors ?? [{ path: '', message: error.detail }]) {
            problems.push({ ...problem, path: `/candidates/${candidate.index}/fields${problem.path}` })
          }
          continue
        }
        const comment = input.comment ?? `From the statement of source ${sourceId}, candidate ${candidate.index}.`
        if (candidate.match) {
          const prisoner = await writer.find(candidate.match.prisonerId)
          const proposal = manager.create(ProposalEntity, { ...pendingProposal(caller, prisoner.version, checked, comment), prisonerId: prisoner.id, events: null })
          await manager.insert(ProposalEntity, proposal)
          done.proposals.push({ index: candidate.index, id: proposal.id, prisonerId: prisoner.id })
        } else {
          const id = newId()
          await writer.create(id, checked, startingReviewStatus(caller), { action: 'create', actor: actorOf(caller), comment }, caller.id, undefined)
          done.records.push({ index: candidate.index, id })
        }
      }
      if (problems.length) throw new ProblemError('validation-failed', 'Some candidates cannot be submitted as they are; nothing was saved.', problems)
      return done
    })
  }
}

export { CANDIDATE_FIELDS }
