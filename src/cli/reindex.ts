import { loadConfig } from '../config'
import { Database } from '../db/database'
import { rebuildNameKeys } from '../core/search/name-keys-rebuild'

/**
 * `npm run reindex`: rebuilds every name key, folded name and sort name by the current rules, whatever
 * version is stored. The server does this by itself on start when NAME_KEYS_VERSION changed; this is for
 * keys suspected wrong without a version change (a bug fixed, rows edited by hand).
 */
async function main() {
  const database = await Database.open(loadConfig().database)
  try {
    const { keys, prisoners, from, to } = await rebuildNameKeys(database)
    console.log(`Rebuilt ${keys} name keys of ${prisoners} records (rules version ${from ?? 'none'} → ${to}).`)
  } finally {
    await database.close()
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
