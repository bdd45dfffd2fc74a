import { readFileSync } from 'node:fs'
import path from 'node:path'

/** seeds-data/ at the repository root, whether this runs from src/ (ts-node) or dist/src/ (compiled). */
const SEEDS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../seeds-data' : '../../seeds-data')

/**
 * A JSON file of seeds-data/, for request examples that cite what the seed holds, so that Swagger UI's
 * "Try it out → Execute" works as is and the examples cannot drift from the seed.
 */
export const seedsData = <T>(file: string): T => JSON.parse(readFileSync(path.join(SEEDS, file), 'utf8')) as T
