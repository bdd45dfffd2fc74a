import { copyFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { nameKeys } from '../src/modules/prisoners/name-keys'
import { DATA_DIR } from './build'
import { DATASET_VERSION, Prng, generateDataset } from './dataset'

/**
 * Where the time of a name search goes, in SQL alone, on a copy of the benchmark database:
 * `node dist/bench/probe-search.js [records]`. Times the app's search query as it is, with its join order
 * forced, after ANALYZE, then with a covering index on name_keys(key, claim_id), matching claims by
 * INTERSECT of per-key lists, and reading documents only for the page shown. Prints mean and p99 per
 * query, and rows matched.
 */
const RECORDS = Number(process.argv[2] ?? process.env.BENCH_RECORDS ?? 100_000)
const VISIBLE = "p.review_status = 'published' AND p.deleted_at IS NULL"

function time(label: string, queries: string[][], run: (keys: string[]) => number) {
  const samples: number[] = []
  let rows = 0
  for (const keys of queries) run(keys) // warm the page cache
  for (const keys of queries) {
    const started = process.hrtime.bigint()
    rows += run(keys)
    samples.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  samples.sort((a, b) => a - b)
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length
  const p99 = samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]
  console.log(`${label.padEnd(64)} mean ${mean.toFixed(2).padStart(6)} ms  p99 ${p99.toFixed(2).padStart(6)} ms  rows/query ${(rows / queries.length).toFixed(0)}`)
}

function main() {
  const source = path.join(DATA_DIR, `registry-${DATASET_VERSION}-${RECORDS}.sqlite`)
  const file = path.join(DATA_DIR, `probe-${process.pid}.sqlite`)
  copyFileSync(source, file)
  try {
    const db = new BetterSqlite3(file)
    const rng = new Prng(`bench-load-${DATASET_VERSION}`)
    const named = generateDataset(RECORDS).records.filter((r) => r.names.length > 0)
    const queries = Array.from({ length: 300 }, () => nameKeys(rng.pick(rng.pick(named).names)))
    const subquery = (n: number) =>
      `SELECT claim_id FROM name_keys WHERE key IN (${Array(n).fill('?').join(',')}) GROUP BY claim_id HAVING COUNT(DISTINCT key) = ?`
    const intersect = (n: number) => Array(n).fill('SELECT claim_id FROM name_keys WHERE key = ?').join(' INTERSECT ')
    const full = (matches: string) =>
      `SELECT p.id, p.document, p.sort_name AS sortName, c.id AS claimId, c.value, c.rank FROM (${matches}) m
       JOIN claims c ON c.id = m.claim_id JOIN prisoners p ON p.id = c.prisoner_id WHERE c.rank <> 'deprecated' AND ${VISIBLE}`
    const ranking = (matches: string) =>
      `SELECT p.id, p.sort_name AS sortName, c.id AS claimId, c.value, c.rank FROM (${matches}) m
       JOIN claims c ON c.id = m.claim_id JOIN prisoners p ON p.id = c.prisoner_id WHERE c.rank <> 'deprecated' AND ${VISIBLE}`
    const documents = db.prepare('SELECT document FROM prisoners WHERE id = ?').pluck()
    const statements = new Map<string, BetterSqlite3.Statement>()
    const prepared = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!

    console.log(`Name search SQL on ${RECORDS} records, ${queries.length} full-name queries in every spelling`)
    console.log(db.prepare(`EXPLAIN QUERY PLAN ${full(subquery(2))}`).all(...['a', 'b', 2]).map((r) => (r as { detail: string }).detail).join(' | '))
    time('as the app runs it (GROUP BY ... HAVING, every hit with its document)', queries, (keys) =>
      prepared(full(subquery(keys.length))).all(...keys, keys.length).length,
    )
    time('key matching alone (the subquery)', queries, (keys) => prepared(subquery(keys.length)).all(...keys, keys.length).length)
    const crossJoined = (matches: string) =>
      `SELECT p.id, p.document, p.sort_name AS sortName, c.id AS claimId, c.value, c.rank FROM (${matches}) m
       CROSS JOIN claims c ON c.id = m.claim_id CROSS JOIN prisoners p ON p.id = c.prisoner_id WHERE c.rank <> 'deprecated' AND ${VISIBLE}`
    time('join order forced (CROSS JOIN: matches, then claims, then prisoners)', queries, (keys) =>
      prepared(crossJoined(subquery(keys.length))).all(...keys, keys.length).length,
    )
    db.exec('ANALYZE')
    statements.clear()
    time('after ANALYZE, no other change', queries, (keys) => prepared(full(subquery(keys.length))).all(...keys, keys.length).length)

    db.exec('CREATE INDEX IF NOT EXISTS probe_name_keys_key_claim ON name_keys(key, claim_id)')
    statements.clear()
    time('+ covering index name_keys(key, claim_id): key matching alone', queries, (keys) =>
      prepared(subquery(keys.length)).all(...keys, keys.length).length,
    )
    time('+ covering index: INTERSECT of per-key claim lists', queries, (keys) => prepared(intersect(keys.length)).all(...keys).length)
    time('+ covering index + INTERSECT, every hit with its document', queries, (keys) =>
      prepared(full(intersect(keys.length))).all(...keys).length,
    )
    time('+ covering index + INTERSECT, rank without documents, then 50 documents', queries, (keys) => {
      const hits = prepared(ranking(intersect(keys.length))).all(...keys) as { id: string }[]
      for (const hit of hits.slice(0, 50)) documents.get(hit.id)
      return hits.length
    })
    db.close()
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
  }
}

main()
