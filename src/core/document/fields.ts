import type { PrisonerField } from './record-fields'

// The cited fields of a record are declared in record-fields.ts (docs/design.md §3).
export { PRISONER_FIELDS, type PrisonerField } from './record-fields'

export const PRISONER_STATUSES = ['detained', 'released', 'deceased'] as const
export type PrisonerStatus = (typeof PRISONER_STATUSES)[number]

/**
 * The other registries whose ids a record may carry (its `identifiers` field, a list of `{ scheme, id }`), each id
 * as that registry writes it: a Wikidata item (Q42), and the slugs and entity ids of the others' pages. Conservative:
 * a value that could be a whole URL, or hold a space, is refused rather than guessed at.
 */
export const IDENTIFIER_SCHEMES = ['wikidata', 'viasna', 'memorial', 'opensanctions'] as const
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number]
export interface ExternalIdentifier {
  scheme: IdentifierScheme
  id: string
}
export const IDENTIFIER_PATTERNS: Record<IdentifierScheme, { pattern: RegExp; example: string }> = {
  wikidata: { pattern: /^Q[1-9][0-9]*$/, example: 'Q42' },
  // prisoners.spring96.org/en/person/<slug>
  viasna: { pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, example: 'siarhei-tsikhanouski' },
  // memopzk.org/figurant/<slug>/
  memorial: { pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, example: 'tsikhanouski-siarhei' },
  // opensanctions.org/entities/<id>/: Wikidata QIDs, or dataset-prefixed ids such as NK-… and ofac-…
  opensanctions: { pattern: /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/, example: 'Q4311270' },
}
/**
 * Where each id is a page of its own, as a URI that names the same person (JSON-LD `sameAs`). Only registries whose
 * URLs are stable: Wikidata's concept URI and OpenSanctions' entity page.
 */
export const IDENTIFIER_URIS: Partial<Record<IdentifierScheme, (id: string) => string>> = {
  wikidata: (id) => `https://www.wikidata.org/entity/${id}`,
  opensanctions: (id) => `https://www.opensanctions.org/entities/${id}/`,
}

/** Why a value is withheld from the public (docs/design.md §3); shown to everyone, with the date. */
export const WITHHELD_REASONS = ['family-request', 'safety', 'legal'] as const
export type WithheldReason = (typeof WITHHELD_REASONS)[number]
export interface Withholding {
  reason: WithheldReason
  since: string
}

/**
 * A citation as reads show it. `start`/`end` are null when the source has no archived text. A citation of a
 * private source is marked `private` and shown to everyone but editors as `{ id, private: true }` only.
 */
export interface CitationView {
  id: string
  sourceId: string
  quote: string
  start: number | null
  end: number | null
  note?: string
  private?: true
}

export interface AlternativeView {
  claimId: string
  value: unknown
  rank: 'normal'
  citations: CitationView[]
}

/**
 * One field of a record as reads show it: the preferred value (the claim `claimId`), its evidence, and
 * what other sources say. Claim ids lead to GET /v1/prisoners/{id}/fields/{field} and its history.
 */
export interface FieldView {
  value: unknown
  claimId: string | null
  citations: CitationView[]
  alternatives: AlternativeView[]
  /** Present when the value is withheld: editors read the field whole, everyone else this and a null value. */
  withheld?: Withholding
}

/** The record as every read returns it (docs/design.md §4). */
export type PrisonerDocument = {
  id: string
  version: number
  /** The events the person took part in; absent when none. */
  events?: EventLink[]
  createdAt: string
  updatedAt: string
} & Record<PrisonerField, FieldView>

export const EMPTY_FIELD: FieldView = Object.freeze({ value: null, claimId: null, citations: [], alternatives: [] }) as FieldView

/** The cited fields of an event (docs/design.md §3), in the order reads show them. */
export const EVENT_FIELDS = ['kind', 'date', 'place', 'fromCountry', 'toCountry', 'count', 'composition', 'brokeredBy'] as const
export type EventField = (typeof EVENT_FIELDS)[number]

export const EVENT_KINDS = ['release', 'transfer', 'pardon', 'exchange', 'arrest', 'sentencing', 'trial', 'death', 'other'] as const

/** An event a record took part in, as the record lists it. */
export interface EventLink {
  id: string
}
