import { ensureDatabase } from './build'
import { generateDataset } from './dataset'
import { DEFAULT_DATABASE_URL, ensurePostgres } from './postgres'

/**
 * Builds (or checks) the cached benchmark database without running the load: `node dist/bench/build-only.js`.
 * With BENCH_ENGINES naming postgres, also its PostgreSQL copy at BENCH_DATABASE_URL.
 */
async function main() {
  const records = Number(process.env.BENCH_RECORDS ?? 100_000)
  const { file, stats, built } = await ensureDatabase(generateDataset(records), console.log)
  console.log(`${built ? 'Built' : 'Cached'}: ${file}`, stats)
  if ((process.env.BENCH_ENGINES ?? '').split(',').map((s) => s.trim()).includes('postgres')) {
    const copy = await ensurePostgres(file, stats, process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL, console.log)
    console.log(`${copy.copied ? 'Copied' : 'Cached'}: PostgreSQL`, copy)
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
