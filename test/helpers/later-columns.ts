import type { Database } from '../../src/db/database'
import { SourceRedactions1752040000000 } from '../../migrations/1752040000000-SourceRedactions'
import { ActorPseudonyms1752400000000 } from '../../migrations/1752400000000-ActorPseudonyms'
import { HistoryChain1752800000000 } from '../../migrations/1752800000000-HistoryChain'

/**
 * Upgrade tests play an older release with today's code on the older schema. Today's code fills columns and reads
 * tables that schema lacks: these, each added by a later migration (which keeps a column or table already there). A
 * test adds the ones its schema lacks while today's code writes, and drops them to leave what the older release had.
 */
const LATER_COLUMNS: readonly (readonly [table: string, column: string, type: string])[] = [
  // 1752400000000-ActorPseudonyms: each actor's key and role beside its name
  ...['revisions actor', 'event_revisions actor', 'sources created_by', 'proposals decided_by', 'event_proposals decided_by'].flatMap((entry) => {
    const [table, prefix] = entry.split(' ')
    return [[table, `${prefix}_key`, 'varchar(36)'] as const, [table, `${prefix}_role`, 'varchar(20)'] as const]
  }),
  // 1752500000000-ArrestDate: the list column of a cited field declared since
  ['prisoners', 'arrest_date', 'varchar(10)'],
  // 1752600000000-EventDocuments: one claim model (withheld on events' claims too), and events' stored documents
  ['event_claims', 'withheld', 'boolean NOT NULL DEFAULT FALSE'],
  ['events', 'document', 'text'],
  ['events', 'editor_document', 'text'],
  // 1752900000000-Recognition: the date column and the folded organisations of recognition
  ['prisoners', 'recognition_date', 'varchar(10)'],
  ['prisoners', 'recognized_by', 'text'],
]

/** What `addLaterColumns` added, for `dropColumns`. */
export interface Added {
  columns: [table: string, column: string][]
  tables: string[]
}

/** Adds the later columns (of tables it has) and tables the database's schema lacks. */
export async function addLaterColumns(database: Database): Promise<Added> {
  const runner = database.dataSource.createQueryRunner()
  const added: Added = { columns: [], tables: [] }
  try {
    for (const [table, column, type] of LATER_COLUMNS) {
      if (!(await runner.hasTable(table)) || (await runner.hasColumn(table, column))) continue
      await runner.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`)
      added.columns.push([table, column])
    }
    if (!(await runner.hasTable('source_redactions'))) {
      await new SourceRedactions1752040000000().up(runner)
      added.tables.push('source_redactions')
    }
    if (!(await runner.hasTable('instance_secrets'))) {
      await ActorPseudonyms1752400000000.keepSecret(runner)
      added.tables.push('instance_secrets')
    }
    // 1752800000000-HistoryChain: every revision today's code writes is chained.
    if (!(await runner.hasTable('history_chain'))) {
      await new HistoryChain1752800000000().up(runner)
      added.tables.push('history_checkpoints', 'history_head', 'history_chain')
    }
  } finally {
    await runner.release()
  }
  return added
}

/** Drops what `addLaterColumns` added: the database as the older release left it. */
export async function dropColumns(database: Database, added: Added): Promise<void> {
  for (const [table, column] of added.columns) await database.dataSource.query(`ALTER TABLE ${table} DROP COLUMN ${column}`)
  for (const table of added.tables) await database.dataSource.query(`DROP TABLE ${table}`)
}
