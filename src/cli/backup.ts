import { constants } from 'node:os'
import { loadConfig } from '../config'
import { abandon, backup, restore } from '../db/backup'
import { scratchDatabase } from '../db/scratch-database'
import { Database } from '../db/database'
import { AuditService } from '../modules/audit/audit.service'

const USAGE = `npm run backup -- FILE           back up the database (DATABASE_URL or DATABASE_PATH) to FILE, while it serves
npm run backup -- --check FILE   restore FILE into a scratch database, audit it, and remove it
npm run backup -- --restore FILE restore FILE into DATABASE_URL/DATABASE_PATH, which must be empty`

/** What a signal must undo before the process exits (besides what backup.ts abandons). */
const onStop = new Set<() => Promise<void>>()

/**
 * Restores into a scratch database and audits it: every citation checked, the counts printed. The scratch database
 * is removed whatever happens: a failure, or the check stopped by SIGINT or SIGTERM (Ctrl-C, a cron's timeout).
 */
async function check(file: string, near: string): Promise<boolean> {
  const scratch = await scratchDatabase(near, 'registry_restore_check')
  console.log(`Restoring into the scratch database ${scratch.name} (removed afterwards)`)
  const removeScratch = () => {
    console.error(`removing ${scratch.name}`)
    return scratch.remove()
  }
  onStop.add(removeScratch)
  try {
    await restore(file, scratch.location)
    const database = await Database.open(scratch.location)
    try {
      const report = await new AuditService(database).verify()
      const records = await database.get<{ n: number }>('SELECT COUNT(*) AS n FROM prisoners')
      console.log(`Restored: ${records?.n ?? 0} records, ${report.sources.total} sources, ${report.citations.total} citations (${report.citations.checked} checked, ${report.citations.failed} failed)`)
      console.log(report.ok ? 'OK: the backup restores, and its audit finds zero failures.' : `FAILED: ${JSON.stringify(report.failures.slice(0, 5))}`)
      return report.ok
    } finally {
      await database.close()
    }
  } finally {
    onStop.delete(removeScratch)
    await scratch.remove()
  }
}

/** `npm run backup`: backups of SQLite or PostgreSQL taken while serving, and the check that they restore. */
async function main() {
  const args = process.argv.slice(2)
  const location = loadConfig().database
  const [flag, file] = args[0]?.startsWith('--') ? args : [undefined, args[0]]
  if (!file || args.length > (flag ? 2 : 1) || (flag && !['--check', '--restore'].includes(flag))) {
    console.error(USAGE)
    process.exit(2)
  }
  if (flag === '--check') {
    process.exitCode = (await check(file, location)) ? 0 : 1
  } else if (flag === '--restore') {
    await restore(file, location)
    console.log(`Restored ${file}; start the server on it.`)
  } else {
    await backup(location, file)
    console.log(`Backed up to ${file}; check that it restores with: npm run backup -- --check ${file}`)
  }
}

// Stopped half-way (Ctrl-C, a service manager, a cron's timeout): pg_dump or pg_restore stopped too, no partial file
// left behind, and a check's scratch database removed, before the process exits.
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true
    abandon()
    console.error(`Stopped by ${signal}: what was under way is abandoned, and no partial file is left.`)
    void Promise.allSettled([...onStop].map((cleanup) => cleanup())).finally(() => process.exit(128 + constants.signals[signal]))
  })
}

main().catch((error) => {
  // What was abandoned fails as it stops: the signal's handler exits once its clean-up is done.
  if (stopping) return
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
