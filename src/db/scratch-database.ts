import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { dialectOf } from './dialect'
import { withPgClient } from './pg-client'

export interface ScratchDatabase {
  /** A SQLite file path or a postgres:// URL, empty (Database.open migrates it). */
  location: string
  /** What to call it in a message: the PostgreSQL database's name, or the SQLite file. */
  name: string
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
    const file = path.join(dir, 'registry.sqlite')
    return { location: file, name: file, remove: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `${prefix.replace(/\W/g, '_')}_${randomBytes(6).toString('hex')}`
  await withPgClient(near, (client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(near)
  url.pathname = `/${name}`
  return { location: url.toString(), name, remove: async () => void (await withPgClient(near, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) }
}
