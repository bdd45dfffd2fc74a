import t from 'tap'
import { buildTestApp } from '../helpers/test-app'
import { testEngine } from '../helpers/test-database'

/**
 * The public list's pages read an index in sort order on PostgreSQL, rather than sorting every visible record
 * (migrations/1751500000000-PostgresListIndexes.ts). The seed is too small for the planner to prefer an index
 * by itself, so sequential scans are priced out for the question: is there an index that gives this order?
 */
const ORDERS = {
  name: { order: 'p.sort_name, p.id', index: 'IDX_prisoners_public_name' },
  createdAt: { order: 'p.created_at DESC, p.id DESC', index: 'IDX_prisoners_public_created' },
  releaseDate: { order: "COALESCE(p.release_date, ''), p.id", index: 'IDX_prisoners_public_release' },
}

t.test('on PostgreSQL, every order of the public list reads an index, first pages and cursor pages', { skip: testEngine() !== 'postgres' && 'PostgreSQL only (npm run test:postgres)' }, async (t) => {
  const { database } = await buildTestApp(t)
  for (const [sort, { order, index }] of Object.entries(ORDERS)) {
    const position = order.split(', ').map((column) => column.replace(/ DESC$/, ''))
    for (const cursor of [false, true]) {
      const plan = await database.snapshot(async (reads) => {
        await reads.all('SET LOCAL enable_seqscan = off')
        const after = cursor ? ` AND (${position.join(', ')}) ${order.endsWith('DESC') ? '<' : '>'} ($1, $2)` : ''
        return reads.all<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT p.id, p.document FROM prisoners p WHERE (p.review_status = 'published' AND p.deleted_at IS NULL)${after}
           ORDER BY ${order} LIMIT 51`,
          cursor ? ['m', '0'] : [],
        )
      })
      const text = plan.map((row) => row['QUERY PLAN']).join('\n')
      t.match(text, new RegExp(`Index Scan( Backward)? using "?${index}"?`), `sort=${sort}${cursor ? ', a cursor page' : ''}: ${index}`)
      t.notMatch(text, /Sort/, 'no sort of the visible records')
    }
  }
})
