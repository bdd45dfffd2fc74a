import { execFileSync } from 'node:child_process'
import t from 'tap'
import { AuditService } from '../../../src/modules/audit/audit.service'
import { SEED, buildTestApp } from '../../helpers/test-app'

t.test('verify reports zero failures on the seed', async (t) => {
  const { http, volunteer } = await buildTestApp(t)
  t.equal((await http.get('/v1/audit/verify')).status, 401, 'it reads everything: a key is needed')
  const report = (await volunteer.get('/v1/audit/verify')).body
  t.equal(report.ok, true)
  t.same(report.sources, { total: 3, archived: 2, altered: 0 })
  t.equal(report.citations.failed, 0)
  t.equal(report.citations.unverifiable, 29, "the 14 release dates and 14 Vilnius citations of the unarchived report, and the release event's date")
  t.ok(report.citations.checked > 40)
  t.same(report.failures, [])
})

t.test('verify finds a source whose archived text was altered directly in the database', async (t) => {
  const { database, volunteer } = await buildTestApp(t)
  await database.dataSource.query(database.sql("UPDATE sources SET content = replace(content, 'Ihar Karnei', 'Ihor Karnei') WHERE id = ?"), [SEED.articleB])
  const report = (await volunteer.get('/v1/audit/verify')).body
  t.equal(report.ok, false)
  t.equal(report.sources.altered, 1)
  t.match(report.failures, [{ kind: 'source-altered', sourceId: SEED.articleB }])
  const moved = report.failures.filter((f: { kind: string }) => f.kind === 'quote-mismatch')
  t.ok(moved.length >= 2, 'and the quotes that no longer stand at their offsets')
  t.ok(moved.every((f: { atOffsets: string; sourceId: string }) => f.sourceId === SEED.articleB && f.atOffsets.includes('Ihor')))
})

t.test('verify finds a citation whose offsets no longer hold its words, and forgives only white space', async (t) => {
  const { database, volunteer } = await buildTestApp(t)
  const [shifted, spaced] = (await database.all<{ id: string }>(
    'SELECT id FROM citations WHERE source_id = ? AND quote_start IS NOT NULL ORDER BY id LIMIT 2',
    [SEED.articleB],
  ))
  await database.dataSource.query(database.sql('UPDATE citations SET quote_start = quote_start + 1, quote_end = quote_end + 1 WHERE id = ?'), [shifted.id])
  await database.dataSource.query(database.sql("UPDATE citations SET quote = replace(quote, ' ', '  ') WHERE id = ?"), [spaced.id])
  const report = (await volunteer.get('/v1/audit/verify')).body
  t.equal(report.citations.failed, 1)
  t.match(report.failures, [{ kind: 'quote-mismatch', citationId: shifted.id }])
})

t.test('verify asked again while it runs shares the running check instead of starting another', async (t) => {
  const { database } = await buildTestApp(t)
  const audit = new AuditService(database)
  const first = audit.verify()
  t.equal(audit.verify(), first, 'the same check')
  t.equal((await first).ok, true)
  const again = audit.verify()
  t.not(again, first, 'once finished, the next call checks again')
  await again
})

t.test('coverage: every published value is cited, and disagreements are counted', async (t) => {
  const { http } = await buildTestApp(t)
  const coverage = (await http.get('/v1/audit/coverage')).body
  t.equal(coverage.records, 14)
  t.equal(coverage.values, coverage.citedValues, 'all of them cited')
  t.equal(coverage.byField.name.values, 6)
  t.equal(coverage.byField.name.withDisagreement, 2, 'Siarhei/Syarhei and Karnei/Karney')
  t.equal(coverage.fieldsWithDisagreements, 2)
  t.equal(coverage.byField.status.values, 14)
})

t.test('npm run audit on the seed reports zero failures', async (t) => {
  const { database } = await buildTestApp(t)
  const path = database.dataSource.options.database as string
  // The command exactly as docs/api.md gives it (it builds first).
  const output = execFileSync('npm', ['run', '-s', 'audit'], { env: { ...process.env, DATABASE_PATH: path }, encoding: 'utf8' })
  t.match(output, /0 failed/)
  t.match(output, /OK: zero failures/)
})
