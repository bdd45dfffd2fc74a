import { loadConfig } from '../config'
import { copySqliteToPostgres } from '../db/copy-to-postgres'
import { dialectOf } from '../db/dialect'

/**
 * `npm run copy-to-postgres -- postgres://…`: moves the registry from its SQLite file (DATABASE_PATH) into an empty
 * PostgreSQL database, every row as it is (ids, history, feed, keys), for the move from one machine to several.
 */
async function main() {
  const [url, ...rest] = process.argv.slice(2)
  if (!url || rest.length > 0 || dialectOf(url) !== 'postgres') {
    console.error('npm run copy-to-postgres -- postgres://user:password@host:5432/registry   (the SQLite file is DATABASE_PATH)')
    process.exit(2)
  }
  const file = loadConfig({ ...process.env, DATABASE_URL: '' }).database
  const started = Date.now()
  const rows = await copySqliteToPostgres(file, url, (line) => console.log(line))
  console.log(`Copied ${rows.toLocaleString('en-US')} rows from ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  console.log('Start the server with DATABASE_URL set to this database; check it with: npm run audit')
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
