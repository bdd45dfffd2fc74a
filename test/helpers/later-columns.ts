import type { Database } from '../../src/db/database'

/**
 * Upgrade tests play an older release with today's code on the older schema. Today's writer fills columns that
 * schema lacks: these, each added by a later migration (which keeps a column already there). A test adds the ones
 * its schema lacks while today's code writes, and drops them to leave what the older release would have.
 */
const LATER_COLUMNS: readonly (readonly [table: string, column: string, type: string])[] = [
  // 1752400000000-ActorPseudonyms: each actor's key and role beside its name
  ...['revisions actor', 'event_revisions actor', 'sources created_by', 'proposals decided_by', 'event_proposals decided_by'].flatMap((entry) => {
    const [table, prefix] = entry.split(' ')
    return [[table, `${prefix}_key`, 'varchar(36)'] as const, [table, `${prefix}_role`, 'varchar(20)'] as const]
  }),
  // 1752500000000-ArrestDate: the list column of a cited field declared since
  ['prisoners', 'arrest_date', 'varchar(10)'],
]

export type AddedColumns = [table: string, column: string][]

/** Adds the later columns the database's schema lacks (of tables it has); returns them, for `dropColumns`. */
export async function addLaterColumns(database: Database): Promise<AddedColumns> {
  const runner = database.dataSource.createQueryRunner()
  const added: AddedColumns = []
  try {
    for (const [table, column, type] of LATER_COLUMNS) {
      if (!(await runner.hasTable(table)) || (await runner.hasColumn(table, column))) continue
      await runner.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`)
      added.push([table, column])
    }
  } finally {
    await runner.release()
  }
  return added
}

/** Drops columns `addLaterColumns` added: the database as the older release left it. */
export async function dropColumns(database: Database, added: AddedColumns): Promise<void> {
  for (const [table, column] of added) await database.dataSource.query(`ALTER TABLE ${table} DROP COLUMN ${column}`)
}
