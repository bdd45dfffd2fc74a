import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'

/**
 * Where a test's fresh database lives, and how to remove it once closed. With TEST_DATABASE_URL (an admin URL of a
 * PostgreSQL server, as .ci/run and `npm run test:postgres` set it) a new PostgreSQL database on that server;
 * otherwise a new SQLite file in a temporary folder. Either way the real migrations build it (Database.open).
 */
export async function freshDatabase(): Promise<{ location: string; remove: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL
  if (!admin) {
    const dir = mkdtempSync(path.join(tmpdir(), 'registry-test-'))
    return { location: path.join(dir, 'registry.sqlite'), remove: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `registry_test_${randomBytes(6).toString('hex')}`
  await asAdmin(admin, `CREATE DATABASE ${name}`)
  const url = new URL(admin)
  url.pathname = `/${name}`
  return { location: url.toString(), remove: () => asAdmin(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** The engine the tests run on, for the few tests that look at one engine's files or pragmas. */
export const testEngine = (): 'sqlite' | 'postgres' => (process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite')

async function asAdmin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
