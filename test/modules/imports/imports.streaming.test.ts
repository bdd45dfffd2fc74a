import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import ExcelJS from 'exceljs'
import t, { type Test } from 'tap'
import { buildTestApp, snapshot } from '../../helpers/test-app'
import { HEADER, SOURCE_TITLE, csvOf, fixture, sourceText } from './import-fixture'

/**
 * An import is read as it uploads (its progress is visible before the upload ends), an interrupted one resumes
 * under its import id, and an XLSX file imports as its CSV does.
 */

async function setUp(t: Test, count: number) {
  const app = await buildTestApp(t, { requestTimeoutMs: 600_000 })
  const source = await app.editor.post('/v1/sources').send({ title: SOURCE_TITLE, kind: 'ngo', content: sourceText(count) })
  t.equal(source.status, 201)
  return { ...app, sourceId: source.body.id as string }
}

t.test('an XLSX written by exceljs imports as the CSV does', async (t) => {
  const app = await setUp(t, 1000)
  const { rows, faults } = fixture(1000, app.sourceId)
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('People')
  sheet.addRow(HEADER)
  for (const row of rows) sheet.addRow(row.map((cell) => (cell === '' ? null : cell)))
  const file = Buffer.from(await workbook.xlsx.writeBuffer())
  const attach = { filename: 'statement.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }

  const before = await snapshot(app.database)
  const dry = await app.volunteer.post('/v1/imports?dryRun=true').attach('file', file, attach)
  t.equal(dry.status, 422)
  t.same((dry.body.errors as { path: string }[]).map(({ path }) => path).sort(), faults.map(({ row, column }) => `/rows/${row}/${column}`).sort())
  t.same(await snapshot(app.database), before, 'nothing saved on a dry run')

  const real = await app.volunteer.post('/v1/imports?dryRun=false').attach('file', file, attach)
  t.equal(real.status, 200)
  t.match(real.body, { rowsRead: 1000, submitted: 990, failed: 10 })
  const again = await app.volunteer.post('/v1/imports?dryRun=false').attach('file', file, attach)
  t.match(again.body, { rowsRead: 1000, submitted: 0, skipped: 990, failed: 10 })
})

t.test('a file that is neither CSV nor XLSX, or no file, is a problem naming `file`', async (t) => {
  const app = await setUp(t, 10)
  const text = await app.volunteer.post('/v1/imports?dryRun=false').attach('file', Buffer.from('hello'), { filename: 'notes.txt', contentType: 'text/plain' })
  t.equal(text.status, 422)
  t.match(text.headers['content-type'], /^application\/problem\+json/)
  t.match(text.body.errors, [{ path: 'file', message: /must be a \.csv or \.xlsx file/ }])
  const none = await app.volunteer.post('/v1/imports?dryRun=false').field('other', 'x')
  t.equal(none.status, 422)
  t.match(none.body.errors, [{ path: 'file' }])
  t.equal((await app.http.post('/v1/imports').attach('file', Buffer.from('name\n'), 'a.csv')).status, 401)
})

t.test('rows are handled as the file uploads; an import cut off resumes under its id', async (t) => {
  const count = 300
  const app = await setUp(t, count)
  await app.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.app.server.address() as AddressInfo
  const { rows } = fixture(count, app.sourceId)
  const csv = csvOf(rows)
  const cut = csv.indexOf('\r\n', Math.floor(csv.length / 4)) + 2
  const importId = '0f9a3c2e-7b1d-4e5f-9a8b-1c2d3e4f5a6b'
  const boundary = 'import-boundary'
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="statement.csv"\r\nContent-Type: text/csv\r\n\r\n`

  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/v1/imports?dryRun=false&importId=${importId}`,
    headers: { authorization: `Bearer ${app.keys.volunteer}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
  })
  request.on('error', () => undefined)
  request.write(head + csv.slice(0, cut))

  // Its progress, while the rest of the file has not been sent: rows were read and submitted from what arrived.
  let progress: { status: string; rowsRead: number; submitted: number } | undefined
  for (let attempt = 0; attempt < 600 && !(progress && progress.rowsRead >= 20); attempt++) {
    const answer = await app.volunteer.get(`/v1/imports/${importId}`)
    if (answer.status === 200) progress = answer.body
    else await sleep(100)
  }
  t.match(progress, { status: 'running' }, 'running before the upload ended')
  t.ok(progress!.rowsRead >= 20 && progress!.rowsRead < count, `rows read before the upload ended (${progress!.rowsRead})`)

  // The client goes away: the import stops where it was, each row it acknowledged saved with its key.
  request.destroy()
  let stopped: { status: string; rowsRead: number; submitted: number } | undefined
  for (let attempt = 0; attempt < 600 && stopped?.status !== 'interrupted'; attempt++) {
    stopped = (await app.volunteer.get(`/v1/imports/${importId}`)).body
    if (stopped?.status !== 'interrupted') await sleep(100)
  }
  t.equal(stopped!.status, 'interrupted')
  const saved = Number((await app.database.get<{ n: number }>('SELECT COUNT(*) AS n FROM import_rows'))!.n)
  t.ok(saved > 0 && saved < count, `${saved} rows submitted before the cut`)
  t.equal(stopped!.submitted, saved)

  // The same file under the same id: the rows submitted before are skipped, the rest submitted.
  const resumed = await app.volunteer.post(`/v1/imports?dryRun=false&importId=${importId}`).attach('file', Buffer.from(csv), { filename: 'statement.csv', contentType: 'text/csv' })
  t.equal(resumed.status, 200)
  t.equal(resumed.body.id, importId)
  t.equal(resumed.body.skipped, saved, 'the rows submitted before the cut are skipped')
  t.equal(resumed.body.submitted + resumed.body.skipped + resumed.body.failed, count)
  t.equal(Number((await app.database.get<{ n: number }>("SELECT COUNT(*) AS n FROM prisoners WHERE review_status = 'pending'"))!.n), resumed.body.submitted + saved)

  // Another key does not read it, nor continue it.
  const other = await app.admin.post('/v1/keys').send({ name: 'Another volunteer', role: 'volunteer' })
  const stranger = (path: string) => app.http.get(path).set('authorization', `Bearer ${other.body.key}`)
  t.equal((await stranger(`/v1/imports/${importId}`)).status, 404)
})
