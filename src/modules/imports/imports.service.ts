import type { Readable } from 'node:stream'
import { isUUID } from 'class-validator'
import { Caller, canChange, canContinueImport, canReadImport, importedReviewStatus } from '../../core/access/access'
import { actorOf } from '../../core/access/actors'
import { FieldInput, checkEvidence, evidenceProblems } from '../../core/evidence/evidence'
import { pendingProposal } from '../../core/record/proposals'
import { RecordWriter } from '../../core/record/record-writer'
import { PrisonerWriteDto } from '../../core/document/record-write.dto'
import { Database } from '../../db/database'
import { ImportEntity, ImportRowEntity, ImportStatus } from '../../db/entities/import.entity'
import { ProposalEntity } from '../../db/entities/proposal.entity'
import { FieldError, ProblemError } from '../../errors'
import { validateDto } from '../../shared/dto'
import { sha256Hex } from '../../shared/hash'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { ROW_COLUMNS, RowWrite, isImportColumn, rowWrite, toColumnError } from './imports.columns'
import { SheetFormat, SheetRow, sheetRows } from './imports.sheet'

/** Bounds of one import (Config.imports): the bytes of its file and the rows it may have. */
export interface ImportLimits {
  maxBytes: number
  maxRows: number
}

/** A problem of one row, at the column a person fixes (null: the row as a whole). */
export interface RowProblem {
  row: number
  column: string | null
  message: string
}

export type RowOutcomeKind = 'submitted' | 'skipped' | 'failed'

/** What became of one row: submitted (a pending record, or a proposal to the record named by `id`), skipped (sent before), failed. */
export interface RowOutcome {
  row: number
  rowKey: string
  outcome: RowOutcomeKind
  recordId?: string
  proposalId?: string
  importId?: string
}

export interface ImportReport {
  id: string
  status: ImportStatus
  fileName: string
  rowsRead: number
  submitted: number
  skipped: number
  failed: number
  problems: RowProblem[]
}

/** The problems an import keeps and answers: the first ones, which a person fixes first; the counts say how many rows failed. */
const MAX_PROBLEMS = 1000
/** How often (in rows) a run's progress is stored for GET /v1/imports/{id}. */
const PROGRESS_EVERY = 20
const MAX_ROW_KEY = 200

/** A problem of a row found while writing it: thrown out of its transaction, which then saves nothing. */
class RowRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('row refused')
  }
}

/** A spreadsheet's header cell as a column name; an empty one is named by its letter (A, B, … AA). */
function columnName(text: string | undefined, index: number): string {
  if (text !== undefined && text.trim() !== '') return text.trim()
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

/** The write's problems at the columns of the row, each said once (several values citing the row's one quote share its problem). */
function columnProblems(number: number, errors: FieldError[], write: RowWrite): RowProblem[] {
  const unique = new Map(errors.map((error) => toColumnError(error, write)).map((e) => [`${e.path}\u0000${e.message}`, e]))
  return [...unique.values()].map(({ path, message }) => ({ row: number, column: path || null, message }))
}

export const problemPath = ({ row, column }: RowProblem) => (column ? `/rows/${row}/${column}` : `/rows/${row}`)

/**
 * One run of an import (POST /v1/imports): its rows checked one by one as they arrive and, unless it is a dry run,
 * each good row submitted in a transaction of its own together with its row key (import_rows). One transaction a
 * row rather than a batch: a row refused at write time (a quote no longer found, a record deleted meanwhile) takes
 * only itself back; every row that is acknowledged is recorded with its key in the same commit, so a run stopped
 * anywhere (the client gone, the process killed) resumes exactly where it stopped; and SQLite's one writer is held
 * for one row at a time, never for a whole file, so other requests' writes go between (docs/design.md §2,
 * invariants 6, 7 and 10).
 */
export class ImportRun {
  private headers: string[] | undefined
  private readonly seen = new Map<string, number>()
  private readonly report: ImportReport
  readonly rows: RowOutcome[] = []
  private problemCount = 0

  constructor(
    private readonly db: Database,
    private readonly caller: Caller,
    private readonly limits: ImportLimits,
    private readonly options: { dryRun: boolean; id: string; fileName: string },
  ) {
    this.report = { id: options.id, status: 'running', fileName: options.fileName, rowsRead: 0, submitted: 0, skipped: 0, failed: 0, problems: [] }
  }

  get id(): string {
    return this.report.id
  }

  get dryRun(): boolean {
    return this.options.dryRun
  }

  /** The report so far. */
  get result(): ImportReport {
    return this.report
  }

  /** Every problem found, however many (the report keeps the first MAX_PROBLEMS). */
  get problemsFound(): number {
    return this.problemCount
  }

  /** Starts the run: a new import, or the caller's own import of that id continued (a resumption). Nothing is stored on a dry run. */
  async start(): Promise<void> {
    const existing = await this.db.get<{ importedByKey: string }>('SELECT imported_by_key AS "importedByKey" FROM imports WHERE id = ?', [this.id])
    if (existing && !canContinueImport(this.caller, existing)) throw new ProblemError('not-found', `No import with id ${this.id} of yours.`)
    if (this.dryRun) return
    const at = now()
    await this.db.transaction(async (manager) => {
      if (existing) await manager.update(ImportEntity, { id: this.id }, this.columns('running'))
      else await manager.insert(ImportEntity, { id: this.id, importedBy: this.caller.name, importedByKey: this.caller.id, createdAt: at, ...this.columns('running') })
    })
  }

  /** Reads the file's rows as they arrive and handles each; stops at the row limit (413). */
  async readAll(file: Readable, format: SheetFormat): Promise<void> {
    try {
      for await (const row of sheetRows(file, format)) await this.handle(row)
      if (!this.headers) throw new ProblemError('validation-failed', 'file holds no rows.', [{ path: 'file', message: 'holds no rows: its first row names the columns, each further row is a person' }])
      await this.finish('finished')
    } catch (error) {
      await this.finish(error instanceof ProblemError && error.slug === 'payload-too-large' ? 'stopped' : 'interrupted').catch(() => undefined)
      throw error
    }
  }

  private columns(status: ImportStatus) {
    const { fileName, rowsRead, submitted, skipped, failed, problems } = this.report
    return { status, fileName: fileName.slice(0, 300), rowsRead, submitted, skipped, failed, problems: JSON.stringify(problems), updatedAt: now() }
  }

  private async progress(status: ImportStatus): Promise<void> {
    this.report.status = status
    if (this.dryRun) return
    await this.db.transaction((manager) => manager.update(ImportEntity, { id: this.id }, this.columns(status)))
  }

  private finish(status: ImportStatus): Promise<void> {
    return this.progress(status)
  }

  private async handle({ number, cells }: SheetRow): Promise<void> {
    if (!this.headers) {
      if (cells.every((cell) => cell === undefined)) return
      this.headers = cells.map(columnName)
      const repeated = this.headers.filter((header, index) => this.headers!.indexOf(header) !== index)
      if (repeated.length) {
        const errors = repeated.map((header) => ({ path: `/rows/${number}/${header}`, message: `${header} names two columns; name each column once` }))
        throw new ProblemError('validation-failed', `The header row (row ${number}) names a column twice: ${repeated.join(', ')}.`, errors)
      }
      return
    }
    const filled = new Map<string, string>()
    cells.forEach((cell, index) => {
      if (cell !== undefined) filled.set(this.headers![index] ?? columnName(undefined, index), cell)
    })
    if (filled.size === 0) return
    this.report.rowsRead += 1
    if (this.report.rowsRead > this.limits.maxRows) {
      this.report.rowsRead -= 1
      throw new ProblemError(
        'payload-too-large',
        `The file has more than ${this.limits.maxRows} rows, more than one import takes: the first ${this.limits.maxRows} were read (see the import's progress); split the rest into another file.`,
      )
    }
    await this.row(number, filled)
    if (this.report.rowsRead % PROGRESS_EVERY === 0) await this.progress('running')
  }

  private async row(number: number, filled: Map<string, string>): Promise<void> {
    const text = (column: string) => filled.get(column)
    const problems: RowProblem[] = []
    const problem = (column: string | null, message: string) => problems.push({ row: number, column, message })
    for (const column of filled.keys()) {
      if (!isImportColumn(column)) problem(column, `${column} is not a column an import reads (POST /v1/imports lists them); rename it, or empty it`)
    }
    const ownKey = text(ROW_COLUMNS.rowKey)
    if (ownKey !== undefined && ownKey.length > MAX_ROW_KEY) problem(ROW_COLUMNS.rowKey, `${ROW_COLUMNS.rowKey} must be at most ${MAX_ROW_KEY} characters`)
    const content = [...filled].filter(([column]) => column !== ROW_COLUMNS.rowKey).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const rowKey = ownKey !== undefined ? `key:${ownKey.slice(0, MAX_ROW_KEY)}` : `sha256:${sha256Hex(JSON.stringify(content))}`
    const earlier = this.seen.get(rowKey)
    if (earlier !== undefined) {
      problem(
        ROW_COLUMNS.rowKey,
        ownKey !== undefined ? `${ROW_COLUMNS.rowKey} is that of row ${earlier}: give each row its own` : `the row repeats row ${earlier}: remove one of them`,
      )
    } else {
      this.seen.set(rowKey, number)
    }
    const id = text(ROW_COLUMNS.id)
    if (id !== undefined && !isUUID(id)) problem(ROW_COLUMNS.id, `${ROW_COLUMNS.id} must be the id of a record (a UUID), as GET /v1/prisoners gives it`)

    if (earlier === undefined) {
      const before = await this.db.get<{ importId: string; prisonerId: string; proposalId: string | null }>(
        'SELECT import_id AS "importId", prisoner_id AS "prisonerId", proposal_id AS "proposalId" FROM import_rows WHERE key_id = ? AND row_key = ?',
        [this.caller.id, rowKey],
      )
      if (before && problems.length === 0) {
        this.report.skipped += 1
        this.rows.push({ row: number, rowKey, outcome: 'skipped', recordId: before.prisonerId, ...(before.proposalId ? { proposalId: before.proposalId } : {}), importId: before.importId })
        return
      }
    }

    const write = rowWrite(text)
    problems.push(...write.problems.map(({ path, message }) => ({ row: number, column: path, message })))
    const refused = problems.length > 0
    const saved = refused ? null : await this.submit(number, rowKey, id, write).catch((error: unknown) => {
      if (error instanceof RowRefused) {
        problems.push(...error.problems)
        return null
      }
      throw error
    })
    if (refused) {
      // The row's other problems, of shape and evidence, in the same answer (as the record form's).
      problems.push(...(await this.writeProblems(number, write, true)))
    }
    if (saved) {
      this.report.submitted += 1
      this.rows.push({ row: number, rowKey, outcome: 'submitted', ...saved })
      return
    }
    this.report.failed += 1
    this.rows.push({ row: number, rowKey, outcome: 'failed' })
    this.problemCount += problems.length
    this.report.problems.push(...problems.slice(0, Math.max(0, MAX_PROBLEMS - this.report.problems.length)))
  }

  /** The problems of a row's write: its shape (the write's own rules) and, with `evidence`, its citations, at their columns. */
  private async writeProblems(number: number, write: RowWrite, evidence: boolean): Promise<RowProblem[]> {
    let shape: FieldError[] = []
    try {
      validateDto(PrisonerWriteDto, write.write, 'body')
    } catch (error) {
      if (!(error instanceof ProblemError) || !error.errors) throw error
      shape = error.errors
    }
    const errors = [...shape]
    if (evidence || shape.length) {
      const { problems } = await evidenceProblems(this.db, this.fieldsOf(write), this.caller)
      errors.push(...problems.flatMap(([, list]) => list))
    }
    if (!Object.values(this.fieldsOf(write)).length) {
      return [{ row: number, column: null, message: 'the row gives no value: fill in at least one value column (name, nationality, status…) with its quote' }]
    }
    return columnProblems(number, errors, write)
  }

  private fieldsOf(write: RowWrite): Record<string, FieldInput> {
    return Object.fromEntries(Object.entries(write.write).filter(([key]) => key !== 'comment')) as Record<string, FieldInput>
  }

  /**
   * Checks and (unless a dry run, whose transaction is rolled back) saves one row: a pending record, or a proposal to
   * the record its `id` names, and its row key, in one transaction. Every import is submitted for review, an
   * editor's too: rows come in bulk, and each deserves the second look a volunteer's record gets.
   */
  private async submit(number: number, rowKey: string, id: string | undefined, write: RowWrite): Promise<{ recordId: string; proposalId?: string } | null> {
    const shape = await this.writeProblems(number, write, false)
    if (shape.length) throw new RowRefused(shape)
    const fields = this.fieldsOf(write)
    const comment = (write.write.comment as string | undefined) ?? `Imported from ${this.options.fileName || 'a spreadsheet'}, row ${number} (import ${this.id}).`
    return this.db.transaction(async (manager) => {
      const checked = await checkEvidence(this.db, fields, this.caller).catch((error: unknown) => {
        if (error instanceof ProblemError && error.errors) throw new RowRefused(columnProblems(number, error.errors, write))
        throw error
      })
      const writer = new RecordWriter(manager)
      let saved: { recordId: string; proposalId?: string }
      if (id !== undefined) {
        const prisoner = await writer.find(id).catch(() => null)
        if (!prisoner || !canChange(this.caller, prisoner)) throw new RowRefused([{ row: number, column: ROW_COLUMNS.id, message: `${ROW_COLUMNS.id} names no record you may change` }])
        const proposal = manager.create(ProposalEntity, { ...pendingProposal(this.caller, prisoner.version, checked, comment), prisonerId: id, events: null })
        await manager.insert(ProposalEntity, proposal)
        saved = { recordId: id, proposalId: proposal.id }
      } else {
        const recordId = newId()
        await writer.create(recordId, checked, importedReviewStatus(), { action: 'create', actor: actorOf(this.caller), comment }, this.caller.id)
        saved = { recordId }
      }
      // A dry run's import is not stored: its row keys have nothing to point at (and are rolled back anyway).
      if (!this.dryRun) await manager.insert(ImportRowEntity, {
        keyId: this.caller.id,
        rowKey,
        importId: this.id,
        rowNumber: number,
        prisonerId: saved.recordId,
        proposalId: saved.proposalId ?? null,
        createdAt: now(),
      })
      return saved
    }, { dryRun: this.dryRun })
  }
}

/** An import as GET /v1/imports/{id} answers it: to its importer and editors only (core/access); 404 to anyone else. */
export async function readImport(db: Database, caller: Caller, id: string): Promise<ImportReport & { createdAt: string; updatedAt: string }> {
  const row = await db.get<{
    id: string
    importedByKey: string
    fileName: string
    status: ImportStatus
    rowsRead: number
    submitted: number
    skipped: number
    failed: number
    problems: string
    createdAt: string
    updatedAt: string
  }>(
    `SELECT id, imported_by_key AS "importedByKey", file_name AS "fileName", status, rows_read AS "rowsRead", submitted, skipped, failed, problems,
            created_at AS "createdAt", updated_at AS "updatedAt" FROM imports WHERE id = ?`,
    [id],
  )
  if (!row || !canReadImport(caller, row)) throw new ProblemError('not-found', `No import with id ${id}.`)
  const { importedByKey: _key, problems, ...rest } = row
  return { ...rest, rowsRead: Number(rest.rowsRead), submitted: Number(rest.submitted), skipped: Number(rest.skipped), failed: Number(rest.failed), problems: JSON.parse(problems) as RowProblem[] }
}
