import { seedsData } from '../../shared/seeds-data'

/** Request examples for Swagger UI, citing the seeded sources (seeds-data/sources.json) by their ids. */
const [articleA, articleB, rbc] = seedsData<{ id: string }[]>('sources.json').map((s) => s.id)

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
