import { seedsData } from '../../shared/seeds-data'

/**
 * Request examples for Swagger UI, from the seeded event (seeds-data/events.json): real values cited by quotes of
 * the seeded sources, so that "Try it out → Execute" is checked as any write is and passes.
 */
type Cited = { value: unknown; citations: { sourceId: string; quote: string; note?: string }[] }
const [released] = seedsData<{ fields: Record<string, Cited> }[]>('events.json')
const { kind, date, place, fromCountry, toCountry, count, brokeredBy } = released.fields
const articleB = toCountry.citations.find((citation) => citation.quote.includes('safe haven'))!

export const EVENT_WRITE_EXAMPLES = {
  create: [{ kind, date, place, fromCountry, toCountry, count, brokeredBy, comment: 'The June 2025 release, from articles A and B.' }],
  patch: [{ toCountry: { value: 'LT', citations: [articleB] }, comment: 'Cite article B for where they were taken.' }],
}
