import t from 'tap'
import { seed } from '../../../src/seed/seed'
import { SEED, buildTestApp, snapshot } from '../../helpers/test-app'

interface Citation {
  sourceId: string
  quote: string
  start: number | null
  end: number | null
}
interface Field {
  value: unknown
  citations: Citation[]
  alternatives: { value: unknown; citations: Citation[] }[]
}

const FIELDS = ['name', 'nationality', 'status', 'sentence', 'releaseDate', 'destination']
const fold = (s: string) => s.normalize('NFC').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[—–]/g, '-').replace(/\s+/g, ' ')

t.test('the seed: the 14 freed detainees, every value cited, every quote in its source', async (t) => {
  const { http } = await buildTestApp(t)
  const { body } = await http.get('/v1/prisoners?limit=200')
  t.equal(body.data.length, 14)
  t.equal(body.next, null)

  const texts = new Map<string, string>()
  for (const id of [SEED.articleA, SEED.articleB]) texts.set(id, (await http.get(`/v1/sources/${id}/content`)).text)

  const named = body.data.filter((r: Record<string, Field>) => r.name.value !== null).map((r: Record<string, Field>) => r.name.value)
  t.same(named.sort(), ['Akihiro Haievski-Khanada', 'Halina Krasnianskaya', 'Ihar Karnei', 'Kiryl Balakhanau', 'Natallia Dulina', 'Siarhei Tsikhanouski'])
  t.equal(body.data.length - named.length, 8, 'eight not yet identified')

  let checked = 0
  for (const record of body.data) {
    t.equal(record.status.value, 'released')
    t.equal(record.destination.value.country, 'LT')
    t.equal(record.releaseDate.value, '2025-06-21')
    for (const field of FIELDS) {
      const { value, citations, alternatives } = record[field] as Field
      if (value !== null) t.ok(citations.length > 0, `${record.id} ${field} is cited`)
      else t.same(citations, [], `${record.id} ${field} is null and uncited`)
      for (const claim of [{ value, citations }, ...alternatives]) {
        for (const citation of claim.citations) {
          const text = texts.get(citation.sourceId)
          if (text === undefined) {
            t.equal(citation.sourceId, SEED.rbc, 'only the unarchived source lacks text')
            t.same([citation.start, citation.end], [null, null])
            continue
          }
          const words = [...text].slice(citation.start!, citation.end!).join('')
          t.equal(fold(words), fold(citation.quote), 'the quote stands at its offsets')
          checked++
        }
      }
    }
  }
  t.ok(checked > 40, `checked ${checked} archived quotes at their offsets`)

  const tsikhanouski = body.data.find((r: { id: string }) => r.id === SEED.tsikhanouski)
  t.equal(tsikhanouski.nationality.value, 'BY')
  t.match(tsikhanouski.sentence.value, { termMonths: 234, sentencedIn: '2021' })
  t.same(tsikhanouski.name.alternatives.map((a: Field) => a.value), ['Syarhei Tsikhanouski'])
})

t.test('seeding again changes nothing, and ids are stable', async (t) => {
  const { http, database } = await buildTestApp(t)
  const before = (await snapshot(database))
  t.same(await seed(database), { sourcesAdded: 0, eventsAdded: 0, recordsAdded: 0, participantsLinked: 0 })
  t.same((await snapshot(database)), before)

  const other = await buildTestApp(t)
  const ids = async (h: typeof http) => ((await h.get('/v1/prisoners?limit=200')).body.data as { id: string }[]).map((r) => r.id).sort()
  t.same(await ids(other.http), await ids(http), 'a fresh database gets the same ids')
  t.ok((await ids(http)).includes(SEED.tsikhanouski))
})
