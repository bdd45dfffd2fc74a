import { loadConfig } from '../config'
import { Database } from '../db/database'
import { AuditService } from '../modules/audit/audit.service'

/** `npm run audit`: the verification of GET /v1/audit/verify, from the shell; exits 1 on any failure. */
async function main() {
  const database = await Database.open(loadConfig().database)
  try {
    const report = await new AuditService(database).verify()
    const { sources, citations, claims } = report
    console.log(`Sources: ${sources.total} (${sources.archived} archived), ${sources.altered} altered since archived`)
    console.log(`Citations: ${citations.total}; ${citations.checked} checked at their offsets, ${citations.unverifiable} to sources without archived text, ${citations.failed} failed`)
    console.log(`Claims without a citation: ${claims.uncited}`)
    for (const failure of report.failures) console.log(`FAIL ${JSON.stringify(failure)}`)
    if (report.failuresTruncated) console.log('(more failures than listed)')
    console.log(report.ok ? 'OK: zero failures.' : 'FAILED')
    process.exitCode = report.ok ? 0 : 1
  } finally {
    await database.close()
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
