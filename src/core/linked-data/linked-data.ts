import { readableSources } from '../access/access'
import type { Mask } from '../access/public-view'
import { EVENT_FIELDS, IDENTIFIER_URIS, PRISONER_FIELDS, type CitationView, type ExternalIdentifier, type FieldView, type PrisonerDocument } from '../document/fields'
import type { Database } from '../../db/database'
import { countryName } from '../../shared/labels'
import type { EventDocument } from '../document/event-document'

/**
 * Records and events as schema.org linked data (JSON-LD 1.1), for sites and knowledge graphs that read it: a
 * record is a `Person` (`name`, `alternateName`, `nationality` as a `Country`, `sameAs` the URIs of its ids in
 * other registries: Wikidata's concept URI, OpenSanctions' entity page), its release an `Event`, and every cited
 * value also a `Claim` (in `subjectOf`) whose `citation`s are `CreativeWork`s holding the quote, each part of
 * its source (title, url, publisher). Built from the public document only (core/access/public-view): a withheld
 * value is left out, a citation of a private source too.
 */

export const JSON_LD_TYPE = 'application/ld+json'

/** Inline, so that a processor needs no network to expand it (schema.org's own context is a remote document). */
const CONTEXT = { '@vocab': 'https://schema.org/', schema: 'https://schema.org/' }

/** What linked data needs of a source, public ones only. */
export interface SourceFacts {
  title: string
  url: string | null
  publisher: string | null
}

type Node = Record<string, unknown>

/** The public sources among `ids`, by id (core/access: private ones are the editors' only). */
export async function publicSources(db: Database, ids: Iterable<string>): Promise<Map<string, SourceFacts>> {
  const wanted = [...new Set(ids)]
  if (wanted.length === 0) return new Map()
  const visible = readableSources(null)
  const rows = await db.all<SourceFacts & { id: string }>(
    `SELECT id, title, url, publisher FROM sources WHERE id IN (${wanted.map(() => '?').join(',')}) AND ${visible.sql}`,
    [...wanted, ...visible.params],
  )
  return new Map(rows.map(({ id, ...facts }) => [id, facts]))
}

/** Every public source: the export names them all, and they are few beside records. */
export async function allPublicSources(db: Database): Promise<Map<string, SourceFacts>> {
  const visible = readableSources(null)
  const rows = await db.all<SourceFacts & { id: string }>(`SELECT id, title, url, publisher FROM sources WHERE ${visible.sql}`, visible.params)
  return new Map(rows.map(({ id, ...facts }) => [id, facts]))
}

/** The source ids a document's citations name (private ones name none in a public document). */
export function citedSources(fields: FieldView[]): string[] {
  return fields.flatMap((field) => [...field.citations, ...field.alternatives.flatMap((a) => a.citations)].map((c) => c.sourceId).filter(Boolean))
}

/** The absolute URLs the nodes are named by: the API's own, so that each `@id` can be fetched. */
export interface Urls {
  base: string
  mask?: Mask
}

function citation(c: CitationView, sources: Map<string, SourceFacts>, urls: Urls): Node | null {
  const source = c.sourceId ? sources.get(c.sourceId) : undefined
  // A private source's citation shows only that it exists (core/access): in linked data it is left out.
  if (c.private || !source) return null
  const mask = urls.mask ?? ((text: string) => text)
  return {
    '@id': `${urls.base}/v1/citations/${c.id}`,
    '@type': 'CreativeWork',
    text: c.quote,
    isPartOf: {
      '@id': `${urls.base}/v1/sources/${c.sourceId}`,
      '@type': 'CreativeWork',
      name: mask(source.title),
      ...(source.url ? { url: source.url } : {}),
      ...(source.publisher ? { publisher: { '@type': 'Organization', name: source.publisher } } : {}),
    },
  }
}

/** The citations of a value, the private ones left out. */
const citationsOf = (field: FieldView, sources: Map<string, SourceFacts>, urls: Urls) =>
  field.citations.map((c) => citation(c, sources, urls)).filter((node) => node !== null)

/** A value is shown when it is known and not withheld (a public document holds withheld ones as null). */
const known = (field: FieldView | undefined): field is FieldView => !!field && field.value !== null && !field.withheld

const country = (code: string, extra: Node = {}): Node => ({ '@type': 'Country', name: countryName(code), identifier: code, ...extra })

/** The URIs that name the same person elsewhere: the ids of the registries whose URLs are stable (IDENTIFIER_URIS). */
function sameAs(identifiers: ExternalIdentifier[]): Node[] {
  return identifiers.flatMap(({ scheme, id }) => {
    const uri = IDENTIFIER_URIS[scheme]
    return uri ? [{ '@id': uri(id) }] : []
  })
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((item) => item && typeof item === 'object' && 'scheme' in item)) {
    return (value as ExternalIdentifier[]).map(({ scheme, id }) => `${scheme}:${id}`).join(', ')
  }
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text)
  return JSON.stringify(value)
}

/** One cited value as a `Claim` about its subject: which field, the value, and its citations. */
function claim(subject: string, field: string, view: FieldView, sources: Map<string, SourceFacts>, urls: Urls): Node {
  return {
    '@id': `${subject}#${field}`,
    '@type': 'Claim',
    about: { '@id': subject },
    name: field,
    text: valueText(view.value),
    citation: citationsOf(view, sources, urls),
  }
}

/** A record as a schema.org Person (the public document: see the module's comment). */
export function personNode(record: PrisonerDocument, sources: Map<string, SourceFacts>, urls: Urls): Node {
  const id = `${urls.base}/v1/prisoners/${record.id}`
  const person: Node = { '@id': id, '@type': 'Person', identifier: record.id, url: id, dateModified: record.updatedAt }
  if (known(record.name)) {
    person.name = record.name.value
    const others = record.name.alternatives.map((a) => a.value).filter((v) => typeof v === 'string')
    if (others.length) person.alternateName = others
  }
  if (known(record.nationality)) person.nationality = country(String(record.nationality.value), { citation: citationsOf(record.nationality, sources, urls) })
  if (known(record.identifiers)) {
    const same = sameAs(record.identifiers.value as ExternalIdentifier[])
    if (same.length) person.sameAs = same
  }
  const subjectOf: Node[] = []
  const release = releaseNode(record, id, sources, urls)
  if (release) subjectOf.push(release)
  for (const field of PRISONER_FIELDS) {
    const view = record[field]
    if (known(view)) subjectOf.push(claim(id, field, view, sources, urls))
  }
  if (subjectOf.length) person.subjectOf = subjectOf
  return person
}

/** The person's release, when the record knows its date or destination: an Event, part of the registry's event when linked. */
function releaseNode(record: PrisonerDocument, person: string, sources: Map<string, SourceFacts>, urls: Urls): Node | null {
  const date = known(record.releaseDate) ? record.releaseDate : null
  const destination = known(record.destination) ? record.destination : null
  if (!date && !destination) return null
  const release: Node = { '@id': `${person}#release`, '@type': 'Event', name: 'Release', about: { '@id': person } }
  if (date) Object.assign(release, { startDate: date.value, citation: citationsOf(date, sources, urls) })
  if (destination) {
    const { country: code, place } = destination.value as { country: string; place?: string }
    release.location = {
      '@type': 'Place',
      ...(place ? { name: place } : {}),
      containedInPlace: country(code),
      citation: citationsOf(destination, sources, urls),
    }
  }
  if (record.events?.length) release.superEvent = record.events.map((event) => ({ '@id': `${urls.base}/v1/events/${event.id}` }))
  return release
}

/** An event as a schema.org Event, its participants as attendees (the public document). */
export function eventNode(event: EventDocument, sources: Map<string, SourceFacts>, urls: Urls): Node {
  const id = `${urls.base}/v1/events/${event.id}`
  const node: Node = { '@id': id, '@type': 'Event', identifier: event.id, url: id, dateModified: event.updatedAt }
  if (known(event.kind)) node.name = String(event.kind.value)
  if (known(event.date)) node.startDate = event.date.value
  const place = known(event.place) ? { name: String(event.place.value) } : {}
  if (known(event.toCountry) || known(event.place)) {
    node.location = { '@type': 'Place', ...place, ...(known(event.toCountry) ? { containedInPlace: country(String(event.toCountry.value)) } : {}) }
  }
  if (known(event.brokeredBy)) node.organizer = { '@type': 'Organization', name: valueText(event.brokeredBy.value) }
  if (event.participants.length) {
    node.attendee = event.participants.map((p) => ({ '@id': `${urls.base}/v1/prisoners/${p.id}`, '@type': 'Person', ...(p.name ? { name: p.name } : {}) }))
  }
  const claims = EVENT_FIELDS.filter((field) => known(event[field])).map((field) => claim(id, field, event[field], sources, urls))
  if (claims.length) node.subjectOf = claims
  return node
}

/** One node as a whole JSON-LD document. */
export function jsonLdDocument(node: Node): string {
  return JSON.stringify({ '@context': CONTEXT, ...node })
}

/** The opening of an export's document: nodes follow in `@graph`, separated by commas. */
export const GRAPH_START = `{"@context":${JSON.stringify(CONTEXT)},"@graph":[`
export const GRAPH_END = ']}\n'
