import type { FastifyInstance } from 'fastify'
import supertest from 'supertest'
import { buildApp } from '../../src/app'
import { seed } from '../../src/seed/seed'
import { Database } from '../../src/db/database'
import { KeysService } from '../../src/core/access/api-keys'
import { freshDatabase } from './test-database'
import type { WebhookSettings } from '../../src/modules/webhooks/webhook-dispatcher'
import type { CaptureSettings } from '../../src/core/capture/fetch-page'

interface Teardown {
  teardown(fn: () => unknown): void
}

type Agent = ReturnType<typeof supertest.agent>

export interface TestApp {
  app: FastifyInstance
  database: Database
  /** Anonymous, as advocacy sites read. */
  http: ReturnType<typeof supertest>
  /** Agents that send the API key of a volunteer, an editor and an admin with every request. */
  volunteer: Agent
  editor: Agent
  admin: Agent
  keys: { volunteer: string; editor: string; admin: string }
}

/**
 * A fresh database built by the real migrations (seeded unless told otherwise), SQLite or PostgreSQL
 * (test-database.ts), and the app on it,
 * reached through the real HTTP layer with supertest. Closed and removed when the test ends.
 */
export async function buildTestApp(
  t: Teardown,
  options: {
    seed?: boolean
    bodyLimit?: number
    writesPerMinute?: number
    authFailuresPer15Minutes?: number
    requestTimeoutMs?: number
    trustProxy?: boolean | number | string[]
    webhooks?: Partial<WebhookSettings>
    capture?: Partial<CaptureSettings>
    imports?: { maxBytes: number; maxRows: number }
  } = {},
): Promise<TestApp> {
  const fresh = await freshDatabase()
  const database = await Database.open(fresh.location)
  if (options.seed ?? true) await seed(database)
  const keyService = new KeysService(database)
  const keys = {
    volunteer: (await keyService.create('Vera Volunteer', 'volunteer', 'test')).key,
    editor: (await keyService.create('Edgar Editor', 'editor', 'test')).key,
    admin: (await keyService.create('Ada Admin', 'admin', 'test')).key,
  }
  const { bodyLimit, writesPerMinute = 10_000, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, webhooks, capture, imports } = options
  // Captures never reach beyond this machine in a test: public addresses and names are refused, not fetched.
  const app = await buildApp({ database, bodyLimit, writesPerMinute, authFailuresPer15Minutes, requestTimeoutMs, trustProxy, webhooks, capture: { allowPublic: false, ...capture }, imports })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await fresh.remove()
  })
  const as = (key: string) => supertest.agent(app.server).set('authorization', `Bearer ${key}`)
  return { app, database, http: supertest(app.server), volunteer: as(keys.volunteer), editor: as(keys.editor), admin: as(keys.admin), keys }
}

const TABLES = ['sources', 'prisoners', 'claims', 'citations', 'revisions', 'name_keys', 'proposals', 'api_keys']

/** Row counts and the latest change of every table: equal snapshots mean nothing was written. */
export async function snapshot(database: Database): Promise<Record<string, unknown>> {
  const tables: [string, unknown][] = []
  for (const table of TABLES) tables.push([table, await database.get(`SELECT COUNT(*) AS rows FROM ${table}`)])
  tables.push(['prisoner versions', await database.all('SELECT id, version, etag FROM prisoners ORDER BY id')])
  return Object.fromEntries(tables)
}

export const SEED = {
  articleA: '1521cb37-2589-4456-b979-61aaea5b1d83',
  articleB: 'bc68bab7-31f3-4417-87ac-f5fc2a17f171',
  rbc: '29e8876e-d625-4487-b843-e58b4829bf22',
  tsikhanouski: '0968a2a3-7b21-4219-a0ce-c37cf80cdb24',
  karnei: 'c8665c7a-db22-4513-9c14-c0acd4d82810',
  /** The June 2025 release (seeds-data/events.json). */
  release: '7d3f8a2e-5c41-4b6e-9f0a-2e6b1c9d4a57',
}
