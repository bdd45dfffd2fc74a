import { readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Request examples for Swagger UI, citing the seeded sources so that "Try it out → Execute" works as is.
 * The ids come from seeds-data/sources.json so the examples cannot drift from the seed.
 */
const SEEDS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../../seeds-data' : '../../../seeds-data')
const [articleA, articleB, rbc] = (JSON.parse(readFileSync(path.join(SEEDS, 'sources.json'), 'utf8')) as { id: string }[]).map((s) => s.id)

export const WRITE_EXAMPLES = {
  create: [
    {
      name: {
        value: 'Natallia Dulina',
        citations: [{ sourceId: articleA, quote: 'These include Natallia Dulina' }],
      },
      status: {
        value: 'released',
        citations: [{ sourceId: articleA, quote: 'thirteen other political prisoners were freed. These include Natallia Dulina' }],
      },
      releaseDate: {
        value: '2025-06-21',
        citations: [{ sourceId: rbc, quote: '21 June 2025', note: 'This source has no archived text: the quote is not checked.' }],
      },
      destination: {
        value: { country: 'LT', place: 'Vilnius' },
        citations: [
          { sourceId: articleB, quote: 'granted safe haven in Lithuania' },
          { sourceId: rbc, quote: 'Vilnius' },
        ],
      },
      comment: 'Added from article A; the date and Vilnius from the RBC-Ukraine report.',
    },
  ],
  patch: [
    {
      status: {
        value: 'released',
        citations: [
          { sourceId: articleA, quote: 'thirteen other political prisoners were freed' },
          { sourceId: articleB, quote: '13 other political prisoners have been freed from jail' },
        ],
      },
      comment: 'Cite both articles for the release.',
    },
  ],
}
