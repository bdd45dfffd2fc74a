import { type ScratchDatabase, scratchDatabase } from '../../src/db/scratch-database'

/**
 * Where a test's fresh database lives, and how to remove it once closed. With TEST_DATABASE_URL (an admin URL of a
 * PostgreSQL server, as .ci/run and `npm run test:postgres` set it) a new PostgreSQL database on that server;
 * otherwise a new SQLite file in a temporary folder. Either way the real migrations build it (Database.open).
 */
export function freshDatabase(): Promise<ScratchDatabase> {
  return scratchDatabase(process.env.TEST_DATABASE_URL, 'registry_test')
}

/** The engine the tests run on, for the few tests that look at one engine's files or pragmas. */
export const testEngine = (): 'sqlite' | 'postgres' => (process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite')
