import BetterSqlite3 from 'better-sqlite3'
import { Client } from 'pg'
import { Database } from './database'
import { numberedParams } from './dialect'
import { withPgClient } from './pg-client'

/**
 * A SQLite database's rows into PostgreSQL, as they are: the same ids, documents, ETags, name keys, history and
 * change feed, so that both engines answer alike (test/db/engines-agree.test.ts) and an organisation that
 * started on the default SQLite file moves to PostgreSQL without losing a revision (`npm run copy-to-postgres`).
 * The benchmark copies its 100,000 records the same way (bench/postgres.ts).
 */

/** A quoted SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Rows of one multi-row INSERT at most: within PostgreSQL's 65,535 parameters, and a few MB of text. */
const MAX_PARAMS = 30_000
const MAX_BATCH_BYTES = 8 * 1024 * 1024


/** Tables in an order in which every foreign key's table comes before the tables that refer to it. */
function dependencyOrder(tables: string[], references: { child: string; parent: string }[]): string[] {
  const ordered: string[] = []
  const left = new Set(tables)
  while (left.size > 0) {
    const ready = [...left].filter((table) => !references.some((r) => r.child === table && r.parent !== table && left.has(r.parent)))
    if (ready.length === 0) throw new Error(`foreign keys in a cycle among ${[...left].join(', ')}`)
    for (const table of ready) {
      ordered.push(table)
      left.delete(table)
    }
  }
  return ordered
}

/** Every row of every table of the SQLite file into the (migrated, empty) PostgreSQL database, one transaction per table. */
export async function copyRows(sqliteFile: string, client: Client, log: (line: string) => void): Promise<number> {
  const source = new BetterSqlite3(sqliteFile, { readonly: true, fileMustExist: true })
  try {
    const sqliteTables = source
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'")
      .pluck()
      .all() as string[]
    const pgTables = (
      await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    ).rows.map((r) => r.table_name)
    const references = (
      await client.query<{ child: string; parent: string }>(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f'",
      )
    ).rows
    // SQLite keeps booleans as 0 and 1; PostgreSQL's boolean columns want true and false.
    const booleans = new Set(
      (
        await client.query<{ c: string }>(
          "SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'boolean'",
        )
      ).rows.map((r) => r.c),
    )
    const tables = dependencyOrder(
      sqliteTables.filter((t) => pgTables.includes(t)),
      references,
    )
    const missing = sqliteTables.filter((t) => !pgTables.includes(t))
    if (missing.length) throw new Error(`tables of the SQLite database missing on PostgreSQL: ${missing.join(', ')}`)

    let total = 0
    for (const table of tables) {
      const started = Date.now()
      const columns = (source.pragma(`table_info(${ident(table)})`) as { name: string }[]).map((c) => c.name)
      const isBoolean = columns.map((c) => booleans.has(`${table}.${c}`))
      const perInsert = Math.max(1, Math.floor(MAX_PARAMS / columns.length))
      const head = `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES `
      const rowMarks = `(${columns.map(() => '?').join(', ')})`
      let params: unknown[] = []
      let rows = 0
      let bytes = 0
      let copied = 0
      const flush = async () => {
        if (rows === 0) return
        await client.query(numberedParams(head + Array.from({ length: rows }, () => rowMarks).join(', ')), params)
        copied += rows
        params = []
        rows = 0
        bytes = 0
      }
      await client.query('BEGIN')
      // What the migrations wrote (derived_versions) is replaced by the SQLite database's rows.
      await client.query(`DELETE FROM ${ident(table)}`)
      // The statement's iterator stays open while the INSERTs are awaited: nothing else uses this connection.
      for (const row of source.prepare(`SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}`).raw().iterate() as IterableIterator<unknown[]>) {
        for (let i = 0; i < row.length; i++) {
          const value = isBoolean[i] && row[i] !== null ? row[i] === 1 : row[i]
          params.push(value)
          if (typeof value === 'string') bytes += value.length
        }
        rows++
        if (rows >= perInsert || bytes >= MAX_BATCH_BYTES) await flush()
      }
      await flush()
      await client.query('COMMIT')
      total += copied
      log(`  ${table}: ${copied.toLocaleString('en-US')} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }

    // Serials go on after the copied ids, as SQLite's autoincrement does.
    const serials = (
      await client.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
      )
    ).rows
    for (const { table_name, column_name } of serials) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${ident(column_name)}), 0) + 1, false) FROM ${ident(table_name)}`,
        [table_name, column_name],
      )
    }
    return total
  } finally {
    source.close()
  }
}


/**
 * Migrates both databases to this version's schema, refuses a PostgreSQL database that holds records, sources or
 * keys already (nothing is overwritten), copies every row, then refreshes the planner's statistics. The SQLite file
 * must not be written meanwhile: stop the server, or copy a backup of it (npm run backup).
 */
export async function copySqliteToPostgres(sqliteFile: string, url: string, log: (line: string) => void = () => undefined): Promise<number> {
  for (const location of [sqliteFile, url]) await (await Database.open(location)).close()
  return withPgClient(url, async (client) => {
    const held = await client.query<{ n: string }>('SELECT (SELECT COUNT(*) FROM prisoners) + (SELECT COUNT(*) FROM sources) + (SELECT COUNT(*) FROM api_keys) AS n')
    if (Number(held.rows[0].n) > 0) throw new Error('the PostgreSQL database holds records, sources or keys already: copy into an empty database')
    const rows = await copyRows(sqliteFile, client, log)
    await client.query('ANALYZE')
    return rows
  }, 'registry-copy')
}
