import { ensureDatabase } from './build'
import { generateDataset } from './dataset'

/** Builds (or checks) the cached benchmark database without running the load: `node dist/bench/build-only.js`. */
const records = Number(process.env.BENCH_RECORDS ?? 100_000)
ensureDatabase(generateDataset(records), console.log).then(
  ({ file, stats, built }) => console.log(`${built ? 'Built' : 'Cached'}: ${file}`, stats),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
