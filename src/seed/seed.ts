import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PUBLISHED_EVENTS, isDeleted } from '../core/access/access'
import { SEED_ACTOR, SEED_CALLER } from '../core/access/actors'
import { recordAs } from '../core/access/public-view'
import { fullDocument } from '../core/record/record-writer'
import { Database } from '../db/database'
import type { PrisonerEntity } from '../db/entities/prisoner.entity'
import { ProblemError } from '../errors'
import { EventWriteDto } from '../modules/events/events.dto'
import { EventsService } from '../modules/events/events.service'
import { PrisonerWriteDto } from '../modules/prisoners/prisoners.dto'
import { PrisonersService } from '../modules/prisoners/prisoners.service'
import { CreateSourceDto } from '../modules/sources/sources.dto'
import { SourcesService } from '../modules/sources/sources.service'
import { sha256Hex } from '../shared/hash'
import { validateDto } from '../shared/dto'

/** seeds-data/ at the repository root, whether this runs from src/ (ts-node) or dist/src/ (compiled). */
const SEEDS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../seeds-data' : '../../seeds-data')

export interface SeedSource extends Omit<CreateSourceDto, 'content'> {
  id: string
  contentFile: string | null
  contentSha256: string | null
}

export interface SeedRecord {
  id: string
  comment: string
  /** The events the person took part in (seeds-data/events.json). */
  events?: string[]
  fields: Record<string, unknown>
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(SEEDS, file), 'utf8')) as T
}

/** What a seed adds: seeds-data/ unless told (a test seeds what an older release's seeds-data held). */
export interface SeedData {
  sources: SeedSource[]
  events: SeedRecord[]
  records: SeedRecord[]
}

export function seedsData(): SeedData {
  return { sources: readJson('sources.json'), events: readJson('events.json'), records: readJson('prisoners.json') }
}

export interface SeedReport {
  sourcesAdded: number
  eventsAdded: number
  recordsAdded: number
  /** Links of records that existed already to the seed's events they lacked (a database from before events). */
  participantsLinked: number
}

/** Times a link is tried again when the record changed between the seed's read and its write (another instance's PATCH). */
const LINK_TRIES = 3

/**
 * Loads the seed data through the same services, validation and evidence checks as the API, so a seed
 * quote that is not in its source fails here too. Idempotent item by item: each source, event and record is
 * added when its id is missing and otherwise left as it is (an editor may have changed it), and a record that
 * exists gets the links to the seed's events it lacks, unless its history shows someone set its events already.
 */
export async function seed(database: Database, data: SeedData = seedsData()): Promise<SeedReport> {
  const sources = new SourcesService(database)
  const prisoners = new PrisonersService(database)
  const events = new EventsService(database)
  const report = { sourcesAdded: 0, eventsAdded: 0, recordsAdded: 0, participantsLinked: 0 }

  for (const { id, contentFile, contentSha256, ...metadata } of data.sources) {
    if (await database.get('SELECT 1 FROM sources WHERE id = ?', [id])) continue
    const content = contentFile ? readFileSync(path.join(SEEDS, contentFile), 'utf8') : undefined
    if (content !== undefined && sha256Hex(content) !== contentSha256) {
      throw new Error(`seeds-data/${contentFile} does not match its recorded SHA-256: the archived text was altered`)
    }
    const input = validateDto(CreateSourceDto, { ...metadata, ...(content ? { content } : {}) }, 'body')
    await sources.create(input, { actor: SEED_ACTOR, id })
    report.sourcesAdded++
  }

  // Events before records: a record names the events it took part in.
  for (const event of data.events) {
    if (await database.get('SELECT 1 FROM events WHERE id = ?', [event.id])) continue
    await events.create(validateDto(EventWriteDto, { ...event.fields, comment: event.comment }, 'body'), null, { id: event.id, actor: SEED_ACTOR })
    report.eventsAdded++
  }

  for (const record of data.records) {
    if (await database.get('SELECT 1 FROM prisoners WHERE id = ?', [record.id])) {
      report.participantsLinked += await linkMissingEvents(database, prisoners, record)
      continue
    }
    const input = validateDto(PrisonerWriteDto, { ...record.fields, events: record.events, comment: record.comment }, 'body')
    await prisoners.create(input, { actor: SEED_ACTOR, id: record.id })
    report.recordsAdded++
  }
  return report
}

type StoredRecord = Pick<PrisonerEntity, 'document' | 'etag' | 'editorDocument' | 'editorEtag' | 'deletedAt' | 'reviewStatus'>

/**
 * Links a record that exists to the seed's events it is not linked to, as an editor's PATCH of its events
 * would (a new version, a revision by `seed`); returns how many links it added. A record seeded before events
 * existed has none (issue 23: the release event came with 0 participants). Left alone: a deleted record, an
 * event that is not public (deleted, or never seeded), and a record whose history already holds a change of
 * its events (it was created with them, or someone set them since): that choice is an editor's, never undone.
 */
async function linkMissingEvents(database: Database, prisoners: PrisonersService, record: SeedRecord): Promise<number> {
  if (!record.events?.length) return 0
  const history = await database.all<{ diff: string }>('SELECT diff FROM revisions WHERE prisoner_id = ?', [record.id])
  if (history.some(({ diff }) => 'events' in (JSON.parse(diff) as object))) return 0
  const marks = record.events.map(() => '?').join(', ')
  const published = await database.all<{ id: string }>(`SELECT e.id FROM events e WHERE e.id IN (${marks}) AND ${PUBLISHED_EVENTS.sql}`, [...record.events, ...PUBLISHED_EVENTS.params])
  for (let attempt = 1; ; attempt++) {
    const stored = await database.get<StoredRecord>(
      'SELECT document, etag, editor_document AS "editorDocument", editor_etag AS "editorEtag", deleted_at AS "deletedAt", review_status AS "reviewStatus" FROM prisoners WHERE id = ?',
      [record.id],
    )
    if (!stored || isDeleted(stored)) return 0
    const linked = (fullDocument(stored).events ?? []).map(({ id }) => id)
    const missing = published.map(({ id }) => id).filter((id) => !linked.includes(id))
    if (missing.length === 0) return 0
    const input = validateDto(PrisonerWriteDto, { events: [...linked, ...missing], comment: 'Linked to the events seeds-data names for this record.' }, 'body')
    try {
      await prisoners.update(record.id, recordAs(SEED_CALLER, stored).etag, input, SEED_CALLER)
      return missing.length
    } catch (error) {
      if (!(error instanceof ProblemError && error.slug === 'precondition-failed') || attempt >= LINK_TRIES) throw error
    }
  }
}

/**
 * On start (SEED_ON_START): seeds a database that holds no record, and tops up one that was seeded before (it
 * holds a seed record, by id) with what a newer seeds-data adds, item by item, as `npm run seed` does. A registry
 * of records of its own that was never seeded is left as it is.
 */
export async function seedAtStart(database: Database): Promise<SeedReport | null> {
  const data = seedsData()
  const ids = data.records.map(({ id }) => id)
  const empty = !(await database.get('SELECT 1 FROM prisoners LIMIT 1'))
  const seeded = ids.length > 0 && (await database.get(`SELECT 1 FROM prisoners WHERE id IN (${ids.map(() => '?').join(', ')})`, ids))
  return empty || seeded ? seed(database, data) : null
}
