import { randomUUID } from 'node:crypto'
import t, { Test } from 'tap'
import type { MigrationInterface, QueryRunner } from 'typeorm'
import { SearchIndexes1750800000000 } from '../../migrations/1750800000000-SearchIndexes'
import { LacinkaNameKeys1750900000000 } from '../../migrations/1750900000000-LacinkaNameKeys'
import { NamePairKeys1751000000000 } from '../../migrations/1751000000000-NamePairKeys'
import * as liveNameKeys from '../../src/core/search/name-keys'
import { buildTestApp, SEED } from '../helpers/test-app'

/**
 * The three migrations that build name keys now run a frozen copy of the name rules
 * (migrations/frozen/name-keys.2025-06.ts). Today that copy must give exactly what the live rules give,
 * or the copy is not the code those migrations ran when they landed.
 *
 * "The old way" is each migration's own module loaded again with its frozen import replaced by the live
 * src/core/search/name-keys.ts: the class as it was before the switch, without a second copy of its code.
 */
const FROZEN = '../../migrations/frozen/name-keys.2025-06'

/** Names for every path of the rules: Cyrillic of both languages, Łacinka ("la" read twice, cc, ŭ, ł),
 *  official romanisations, Polish, stress marks and apostrophes, hyphens, and names longer than 8 words. */
const NAMES = [
  'Сяргей Ціханоўскі', 'Сергей Тихановский', 'Дар’я Лось', 'Серге́й Мікалаевіч', 'Вольга Зміцераўна',
  'Alaksandr Bialacki', 'Tacciana Palak', 'Siarhiej Cichanoŭski', 'Łukasz Ŭładzimir', 'Andrzej Poczobut',
  'Aliaksandr Lukashenka', 'Mikalai Statkevich', 'Maryia Kalesnikava-Rudzko', 'Rebecca Victor Clara',
  'Ян Казімір Мікалай Пятро Рыгор Надзея Зміцер Апанас Язэп Хведар',
  'Jan Kazimir Mikalaj Piatro Ryhor Nadzieja Zmicier Apanas Jazep Chviedar Karnei',
  '— 123 —',
]

const KEYS = 'SELECT prisoner_id, claim_id, key FROM name_keys ORDER BY claim_id, key'
const FOLDED = "SELECT id, folded FROM claims WHERE field = 'name' ORDER BY id"

t.test('the migrations give the same rows with the frozen name rules as with the live ones', async (t) => {
  const { database } = await buildTestApp(t)
  // Extra name claims beside the seeded ones; one deprecated, which only SearchIndexes reads.
  await database.transaction(async (manager) => {
    for (const [i, name] of NAMES.entries()) {
      await manager.query(
        database.sql('INSERT INTO claims (id, prisoner_id, field, value, rank, reason, folded, version, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, 1, ?)'),
        [randomUUID(), SEED.karnei, 'name', JSON.stringify(name), i === 0 ? 'deprecated' : 'normal', '2025-06-01T00:00:00.000Z'],
      )
    }
  })
  const runner = database.dataSource.createQueryRunner()
  t.teardown(() => runner.release())
  const old = <T>(file: string): T => t.mockRequire(file, { [FROZEN]: liveNameKeys }) as T

  const compare = async (t: Test, frozen: MigrationInterface, live: MigrationInterface, rows: string, prepare?: (runner: QueryRunner) => Promise<void>) => {
    await prepare?.(runner)
    await frozen.up(runner)
    const withFrozen = (await database.all(rows))
    await prepare?.(runner)
    await live.up(runner)
    t.same((await database.all(rows)), withFrozen, 'the same rows')
    return withFrozen
  }

  t.test('SearchIndexes: the folded copy of every name', async (t) => {
    const { SearchIndexes1750800000000: Old } = old<typeof import('../../migrations/1750800000000-SearchIndexes')>('../../migrations/1750800000000-SearchIndexes')
    const migration = new SearchIndexes1750800000000()
    // Undone before each run, as it adds the column it fills. On SQLite adding or dropping that column
    // rebuilds the claims table, which the citations' foreign keys forbid unless they are off (PostgreSQL
    // alters the table in place).
    const sqlite = database.dialect === 'sqlite'
    if (sqlite) await runner.query('PRAGMA foreign_keys = OFF')
    const rows = await compare(t, migration, new Old(), FOLDED, (runner) => migration.down(runner))
    if (sqlite) await runner.query('PRAGMA foreign_keys = ON')
    t.ok(rows.length > NAMES.length && rows.every((row) => (row as { folded: unknown }).folded !== null), 'every name folded')
  })

  t.test('LacinkaNameKeys: one key per reading of each word', async (t) => {
    const { LacinkaNameKeys1750900000000: Old } = old<typeof import('../../migrations/1750900000000-LacinkaNameKeys')>('../../migrations/1750900000000-LacinkaNameKeys')
    const rows = await compare(t, new LacinkaNameKeys1750900000000(), new Old(), KEYS)
    t.ok(rows.some((row) => (row as { key: string }).key === 'alaksandr'), 'Łacinka read both ways')
  })

  t.test('NamePairKeys: word keys, pair keys and the long-name key', async (t) => {
    const { NamePairKeys1751000000000: Old } = old<typeof import('../../migrations/1751000000000-NamePairKeys')>('../../migrations/1751000000000-NamePairKeys')
    const rows = (await compare(t, new NamePairKeys1751000000000(), new Old(), KEYS)) as { key: string }[]
    t.ok(rows.some((row) => row.key === liveNameKeys.LONG_NAME_KEY), 'a name of more than 8 words')
    t.ok(rows.some((row) => row.key.includes(' ')), 'pair keys')
  })
})
