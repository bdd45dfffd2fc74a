import { createHash } from 'node:crypto'
import type { CitationView, FieldView, PrisonerField } from '../../core/document/fields'
import { recordFieldNamed } from '../../core/document/record-fields'
import { countryName, dateInWords } from '../../shared/labels'
import type { ChangeEntry, FeedWords, FieldChange } from '../../core/feeds/record-feed'

/**
 * The change feed as Atom (RFC 4287), for feed readers and the sites that embed them: each public change of a
 * record is one entry, newest first, summarised in words ("Release date set to 21 June 2025, cited from …").
 * Paged as RFC 5005 §3 says (`first`, `next` to older changes). Built only from what the JSON feed holds, so
 * what is withheld or private stays out here too (core/access, through ChangesService).
 */

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8'

export interface AtomFeed {
  /** Stable: the same feed keeps its id wherever it is served from. */
  id: string
  title: string
  /** The absolute URLs of this page, of the first page, of the next (older) page when there is one, of the record. */
  links: { self: string; first: string; next: string | null; alternate?: string }
  /** The absolute URL of the API, for each entry's link to its record. */
  base: string
  entries: ChangeEntry[]
  words: FeedWords
}

const escapeXml = (text: string) =>
  // Characters XML 1.0 does not allow at all (controls) cannot be escaped: they are dropped.
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot' }[c]};`)

/**
 * A name-based UUID (RFC 9562 §5.5, version 5, SHA-1 in a namespace of the registry's own): the same name gives
 * the same id on every instance and after every copy, so an entry is the same entry to a reader forever.
 */
export function stableUrn(name: string): string {
  const bytes = createHash('sha1').update(`political-prisoner-registry:${name}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6] & 0x0f) | 0x50
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}


/** A value in English words: a date as people write it, a country by its name and code. */
function valueInWords(field: PrisonerField, value: unknown): string {
  if (typeof value === 'string') {
    if (recordFieldNamed(field)?.kind === 'partialDate') return dateInWords(value)
    if (field === 'nationality') return `${countryName(value)} (${value})`
    return value
  }
  if (field === 'sentence') return String((value as { text: string }).text)
  if (field === 'identifiers') return (value as { scheme: string; id: string }[]).map(({ scheme, id }) => `${scheme}:${id}`).join(', ')
  if (recordFieldNamed(field)?.kind === 'recognition') {
    const { by, date } = value as { by: string[]; date?: string }
    return date ? `${by.join(', ')} (${dateInWords(date)})` : by.join(', ')
  }
  if (field === 'destination') {
    const { country, place } = value as { country: string; place?: string }
    return place ? `${place}, ${countryName(country)}` : countryName(country)
  }
  return JSON.stringify(value)
}

function citedFrom(citations: CitationView[], words: FeedWords): string {
  const titles = [...new Set(citations.map((c) => (c.private || !c.sourceId ? 'a private source' : `“${words.sourceTitles.get(c.sourceId) ?? c.sourceId}”`)))]
  return titles.length ? `, cited from ${titles.join(' and ')}` : ''
}

/** One field's change in a sentence: "Release date set to 21 June 2025, cited from “…”"; null when it says nothing. */
function changeInWords(change: FieldChange, words: FeedWords): string | null {
  const field = change.field as PrisonerField
  const label = recordFieldNamed(field)?.labels.en ?? field
  const after: FieldView = change.after
  if (after.withheld) return `${label} withheld (${after.withheld.reason})`
  if (after.value === null) return change.before?.value == null ? null : `${label} removed`
  const verb = change.before?.value != null && JSON.stringify(change.before.value) !== JSON.stringify(after.value) ? 'changed to' : 'set to'
  return `${label} ${verb} ${valueInWords(field, after.value)}${citedFrom(after.citations, words)}`
}

function whatHappened(entry: ChangeEntry): string {
  if (entry.review?.of === 'record') return entry.review.decision === 'approved' ? 'published' : 'rejected'
  if (entry.review?.of === 'proposal') return `change ${entry.review.decision}`
  return { create: 'added', update: 'changed', delete: 'deleted', restore: 'restored', withhold: 'value withheld', disclose: 'value published again' }[entry.action] ?? entry.action
}

/** The summary of an entry: each field it changed, in words, and what else happened to the record. */
export function summaryInWords(entry: ChangeEntry, words: FeedWords): string {
  const sentences = entry.changes.map((change) => changeInWords(change, words)).filter((sentence) => sentence !== null)
  if (entry.events) sentences.push(entry.events.length ? `Took part in ${entry.events.length} event${entry.events.length === 1 ? '' : 's'}` : 'Linked to no event any more')
  if (entry.action === 'delete') sentences.push('Deleted from the public registry')
  if (entry.action === 'restore') sentences.push('Restored to the public registry')
  if (sentences.length === 0) sentences.push(`Record ${whatHappened(entry)}`)
  return `${sentences.join('. ')}.`
}

/**
 * One entry. Its author is the feed's (the registry): who made a change is not carried into feeds, which are copied
 * far and wide, since the public is to see volunteers and editors by role only (docs/design.md, invariant 8).
 */
function entryXml(entry: ChangeEntry, feed: AtomFeed): string {
  const name = feed.words.recordNames.get(entry.recordId) ?? 'A record without a public name'
  const mask = feed.words.masks.get(entry.recordId) ?? ((text: string) => text)
  const record = `${feed.base}/v1/prisoners/${entry.recordId}`
  return [
    '<entry>',
    `<id>${stableUrn(`change:${entry.recordId}:${entry.version}`)}</id>`,
    `<title>${escapeXml(`${name}: ${whatHappened(entry)} (version ${entry.version})`)}</title>`,
    `<updated>${entry.at}</updated>`,
    `<link rel="alternate" type="application/json" href="${escapeXml(record)}"/>`,
    `<link rel="related" type="application/json" href="${escapeXml(`${record}/history`)}"/>`,
    `<summary type="text">${escapeXml(mask(summaryInWords(entry, feed.words)))}</summary>`,
    '</entry>',
  ].join('')
}

/** The feed document. `updated` is the newest entry's time, so the same changes are the same bytes (and ETag). */
export function atomXml(feed: AtomFeed): string {
  const link = (rel: string, href: string, type = 'application/atom+xml') => `<link rel="${rel}" type="${type}" href="${escapeXml(href)}"/>`
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${feed.id}</id>`,
    `<title>${escapeXml(feed.title)}</title>`,
    `<updated>${feed.entries[0]?.at ?? '1970-01-01T00:00:00.000Z'}</updated>`,
    '<author><name>Political prisoner registry</name></author>',
    link('self', feed.links.self),
    link('first', feed.links.first),
    feed.links.next ? link('next', feed.links.next) : '',
    feed.links.alternate ? link('alternate', feed.links.alternate, 'application/json') : '',
    ...feed.entries.map((entry) => entryXml(entry, feed)),
    '</feed>\n',
  ].join('')
}
