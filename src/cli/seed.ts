import { loadConfig } from '../config'
import { Database } from '../db/database'
import { seed } from '../seed/seed'

/** `npm run seed`: adds what seeds-data/ has and the database lacks, item by item (by id, and records' event links); leaves the rest as it was. */
async function main() {
  const database = await Database.open(loadConfig().database)
  try {
    const { sourcesAdded, eventsAdded, recordsAdded, participantsLinked } = await seed(database)
    console.log(
      `Seeded ${sourcesAdded} source(s), ${eventsAdded} event(s), ${recordsAdded} record(s) and ${participantsLinked} link(s) of existing records to events; what existed was left as it was.`,
    )
  } finally {
    await database.close()
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
