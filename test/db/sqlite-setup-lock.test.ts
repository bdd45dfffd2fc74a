import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import t from 'tap'
import { Database } from '../../src/db/database'
import { freshDatabase, testEngine } from '../helpers/test-database'

/**
 * Start-up work (migrations, the name-key rebuild, the seed) runs in one process at a time on a SQLite file:
 * two servers started together on a new file both created the `migrations` table (the second failed) and could
 * both seed. PostgreSQL has its advisory lock; SQLite a lock file beside the database (sqlite-store.ts).
 */
t.test('on SQLite, start-up work of two openers never overlaps, and a lock left by a dead process is taken over', { skip: testEngine() !== 'sqlite' && 'SQLite only' }, async (t) => {
  const fresh = await freshDatabase()
  t.teardown(fresh.remove)
  const [a, b] = await Promise.all([Database.open(fresh.location), Database.open(fresh.location)])
  t.teardown(async () => {
    await a.close()
    await b.close()
  })

  let inside = 0
  let most = 0
  const work = async () => {
    inside++
    most = Math.max(most, inside)
    await new Promise((resolve) => setTimeout(resolve, 30))
    inside--
  }
  await Promise.all([a, b, a, b].map((database) => database.exclusively(work)))
  t.equal(most, 1, 'one at a time')
  t.notOk(existsSync(`${fresh.location}.setup-lock`), 'the lock is gone when the work is done')

  const dead = spawnSync(process.execPath, ['-e', '']).pid!
  writeFileSync(`${fresh.location}.setup-lock`, String(dead))
  const started = Date.now()
  t.equal(await a.exclusively(async () => 'done'), 'done', 'a lock whose process is gone does not block')
  // A live holder's lock is waited for up to 60 s; a busy machine may take a while, but not that long.
  t.ok(Date.now() - started < 10_000, 'and is taken over at once, not waited for')
})
