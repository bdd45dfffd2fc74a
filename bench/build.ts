import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Database } from '../src/db/database'
import { PrisonerWriteDto } from '../src/modules/prisoners/prisoners.dto'
import { PrisonersService } from '../src/modules/prisoners/prisoners.service'
import { CreateSourceDto } from '../src/modules/sources/sources.dto'
import { SourcesService } from '../src/modules/sources/sources.service'
import { validateDto } from '../src/shared/dto'
import { DATASET_VERSION, Dataset } from './dataset'
import type { Actor } from '../src/core/access/actors'

/** The benchmark's records are the registry's own loading, as the seed's. */
const BENCH_ACTOR: Actor = { name: 'bench', key: null, role: 'seed' }

/** bench/.data at the repository root, whether this runs from bench/ or dist/bench/. */
export const DATA_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../bench/.data' : '.data')

export interface BuildStats {
  datasetVersion: string
  records: number
  sources: number
  citations: number
  seconds: number
  recordsPerSecond: number
  builtAt: string
}

export interface BuiltDatabase {
  file: string
  stats: BuildStats
  /** False when the cached file was used. */
  built: boolean
}

const removeDatabase = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
}

function countCitations(body: Record<string, unknown>): number {
  return Object.values(body).reduce<number>((sum, field) => {
    if (typeof field !== 'object' || field === null) return sum
    const { citations = [], alternatives = [] } = field as { citations?: unknown[]; alternatives?: { citations: unknown[] }[] }
    return sum + citations.length + alternatives.reduce((n, a) => n + a.citations.length, 0)
  }, 0)
}

/**
 * The benchmark database, built once through the real write path (validation, evidence checks, read
 * documents, name keys, revisions) and cached under bench/.data keyed by data set version and record
 * count. Built into a temporary file and renamed when complete, so an interrupted build is never reused.
 */
export async function ensureDatabase(dataset: Dataset, log: (line: string) => void): Promise<BuiltDatabase> {
  const count = dataset.records.length
  mkdirSync(DATA_DIR, { recursive: true })
  const file = path.join(DATA_DIR, `registry-${DATASET_VERSION}-${count}.sqlite`)
  const statsFile = `${file}.json`
  if (process.env.BENCH_REBUILD === '1') removeDatabase(file)
  if (existsSync(file) && existsSync(statsFile)) {
    // Opening runs any migration added since the cache was built, once, here.
    const database = await Database.open(file)
    await database.close()
    return { file, stats: JSON.parse(readFileSync(statsFile, 'utf8')) as BuildStats, built: false }
  }

  const building = `${file}.building`
  removeDatabase(building)
  const database = await Database.open(building)
  const sources = new SourcesService(database)
  const prisoners = new PrisonersService(database)
  log(`Building ${count} records and ${dataset.sources.length} sources into ${path.relative(process.cwd(), file)} ...`)
  for (const { id, ...source } of dataset.sources) {
    await sources.create(validateDto(CreateSourceDto, source, 'body'), { actor: BENCH_ACTOR, id })
  }
  let citations = 0
  const started = process.hrtime.bigint()
  let lap = started
  for (let i = 0; i < count; i++) {
    const { id, body } = dataset.records[i]
    await prisoners.create(validateDto(PrisonerWriteDto, body, 'body'), { actor: BENCH_ACTOR, id })
    citations += countCitations(body)
    if ((i + 1) % 10_000 === 0) {
      const now = process.hrtime.bigint()
      const rate = 10_000 / (Number(now - lap) / 1e9)
      log(`  ${i + 1} records (${rate.toFixed(0)} records/s over the last 10,000)`)
      lap = now
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await database.close()
  removeDatabase(file)
  renameSync(building, file)
  removeDatabase(building)
  const stats: BuildStats = {
    datasetVersion: DATASET_VERSION,
    records: count,
    sources: dataset.sources.length,
    citations,
    seconds,
    recordsPerSecond: count / seconds,
    builtAt: new Date().toISOString(),
  }
  writeFileSync(statsFile, JSON.stringify(stats, null, 2))
  return { file, stats, built: true }
}
