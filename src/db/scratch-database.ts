import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { dialectOf } from './dialect'

export interface ScratchDatabase {
  /** A SQLite file path or a postgres:// URL, empty (Database.open migrates it). */
  location: string
  /** Removes it, once closed. */
  remove: () => Promise<void>
}

/**
 * A new, empty database for a while (a restore check, a test): on the PostgreSQL server of `near` when it is a
 * postgres:// URL (the user there must be allowed to create databases), else a SQLite file in a temporary folder.
 */
export async function scratchDatabase(near: string | undefined, prefix: string): Promise<ScratchDatabase> {
  if (!near || dialectOf(near) !== 'postgres') {
    const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`))
    return { location: path.join(dir, 'registry.sqlite'), remove: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `${prefix.replace(/\W/g, '_')}_${randomBytes(6).toString('hex')}`
  await asAdmin(near, `CREATE DATABASE ${name}`)
  const url = new URL(near)
  url.pathname = `/${name}`
  return { location: url.toString(), remove: () => asAdmin(near, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

async function asAdmin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
