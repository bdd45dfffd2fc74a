import BetterSqlite3 from 'better-sqlite3'
import { DataSource, EntityManager } from 'typeorm'
import { createDataSource } from './data-source'

/**
 * The app's handle on storage: TypeORM for writes, and a separate read-only connection for reads.
 *
 * TypeORM's SQLite driver shares one connection between all callers, so two overlapping transactions
 * would nest into each other and a read could see another request's uncommitted rows. Writes are
 * therefore queued one at a time (SQLite has one writer anyway), and reads use their own connection,
 * which in WAL mode sees only committed data and never waits for a writer.
 */
export class Database {
  private writeQueue: Promise<unknown> = Promise.resolve()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  private readConnection: BetterSqlite3.Database | null = null

  private constructor(
    readonly dataSource: DataSource,
    private readonly databasePath: string,
  ) {}

  static async open(databasePath: string): Promise<Database> {
    const dataSource = createDataSource(databasePath)
    await dataSource.initialize()
    await dataSource.runMigrations()
    const database = new Database(dataSource, databasePath)
    database.readConnection = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true })
    return database
  }

  /** Runs `work` in one transaction, after every write queued before it has finished. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(() => this.dataSource.transaction(work))
    this.writeQueue = run.catch(() => undefined)
    return run
  }

  /** Rows of a read-only query; statements are prepared once and reused. */
  all<T>(sql: string, params: unknown[] = []): T[] {
    return this.statement(sql).all(...params) as T[]
  }

  get<T>(sql: string, params: unknown[] = []): T | undefined {
    return this.statement(sql).get(...params) as T | undefined
  }

  /**
   * Iterates rows without holding them all in memory (exports), on a read-only connection of its own,
   * closed when the iteration ends or is abandoned (`return()`, e.g. a client that disconnects).
   *
   * Not on the shared read connection: an open iterator keeps its statement busy (a second export of
   * the same SQL would throw "This statement is busy executing a query") and keeps the connection's
   * read transaction open, so every other read on it would see the snapshot of the export's start,
   * not the writes committed since, for as long as a slow client takes to download. Here the export
   * reads one consistent snapshot and nothing else is held back.
   */
  *iterate<T>(sql: string, params: unknown[] = []): Generator<T, void, undefined> {
    const connection = new BetterSqlite3(this.databasePath, { readonly: true, fileMustExist: true })
    try {
      yield* connection.prepare(sql).iterate(...params) as IterableIterator<T>
    } finally {
      connection.close()
    }
  }

  async ping(): Promise<boolean> {
    try {
      this.get('SELECT 1 AS ok')
      await this.dataSource.query('SELECT 1')
      return true
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await this.writeQueue
    this.readConnection?.close()
    if (this.dataSource.isInitialized) await this.dataSource.destroy()
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      if (!this.readConnection) throw new Error('The database is closed')
      statement = this.readConnection.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}
