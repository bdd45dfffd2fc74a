import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Database } from '../db/database'
import { EventWriteDto } from '../modules/events/events.dto'
import { EventsService } from '../modules/events/events.service'
import { PrisonerWriteDto } from '../modules/prisoners/prisoners.dto'
import { PrisonersService } from '../modules/prisoners/prisoners.service'
import { CreateSourceDto } from '../modules/sources/sources.dto'
import { SourcesService, sha256Hex } from '../modules/sources/sources.service'
import { validateDto } from '../shared/dto'

/** seeds-data/ at the repository root, whether this runs from src/ (ts-node) or dist/src/ (compiled). */
const SEEDS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../seeds-data' : '../../seeds-data')
const SEED_ACTOR = 'seed'

interface SeedSource extends Omit<CreateSourceDto, 'content'> {
  id: string
  contentFile: string | null
  contentSha256: string | null
}

interface SeedRecord {
  id: string
  comment: string
  /** The events the person took part in (seeds-data/events.json). */
  events?: string[]
  fields: Record<string, unknown>
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(SEEDS, file), 'utf8')) as T
}

export interface SeedReport {
  sourcesAdded: number
  eventsAdded: number
  recordsAdded: number
}

/**
 * Loads seeds-data/ through the same services, validation and evidence checks as the API, so a seed
 * quote that is not in its source fails here too. Idempotent: what exists (by id) is left alone.
 */
export async function seed(database: Database): Promise<SeedReport> {
  const sources = new SourcesService(database)
  const prisoners = new PrisonersService(database)
  const events = new EventsService(database)
  const report = { sourcesAdded: 0, eventsAdded: 0, recordsAdded: 0 }

  for (const { id, contentFile, contentSha256, ...metadata } of readJson<SeedSource[]>('sources.json')) {
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
  for (const event of readJson<SeedRecord[]>('events.json')) {
    if (await database.get('SELECT 1 FROM events WHERE id = ?', [event.id])) continue
    await events.create(validateDto(EventWriteDto, { ...event.fields, comment: event.comment }, 'body'), null, { id: event.id, actor: SEED_ACTOR })
    report.eventsAdded++
  }

  for (const record of readJson<SeedRecord[]>('prisoners.json')) {
    if (await database.get('SELECT 1 FROM prisoners WHERE id = ?', [record.id])) continue
    const input = validateDto(PrisonerWriteDto, { ...record.fields, events: record.events, comment: record.comment }, 'body')
    await prisoners.create(input, { actor: SEED_ACTOR, id: record.id })
    report.recordsAdded++
  }
  return report
}

/** On start: seed a database that holds no record yet. */
export async function seedIfEmpty(database: Database): Promise<SeedReport | null> {
  if (await database.get('SELECT 1 FROM prisoners LIMIT 1')) return null
  return seed(database)
}
