import { EventField } from '../../core/document/fields'
import type { EventDocument } from '../../core/document/event-document'
import { Column, LIST_SEPARATOR, csvHeaderOf, csvLineOf, evidenceColumns, plainValue } from './csv-record'

/**
 * How an event becomes one CSV row, by the records' rules (csv-record.ts: quoting, formula injection, citations
 * as `sourceId[start:end] "quote"`, empty cells for nulls).
 *
 * Columns: id, version; each field's preferred value (kind, date, place, from_country, to_country, count;
 * composition as `BY:5 | PL:3`; brokered_by); participants, the ids of the published records linked to it, joined
 * with " | "; created_at, updated_at; then each field's evidence: `<field>_citations`, `<field>_alternatives`,
 * `<field>_alternatives_citations`.
 */

const FIELD_COLUMN: Record<EventField, string> = {
  kind: 'kind',
  date: 'date',
  place: 'place',
  fromCountry: 'from_country',
  toCountry: 'to_country',
  count: 'count',
  composition: 'composition',
  brokeredBy: 'brokered_by',
}

const FIELDS = Object.keys(FIELD_COLUMN) as EventField[]

const valueOf = (event: EventDocument, field: EventField) => event[field].value

function cellOf(event: EventDocument, field: EventField): string | number | null {
  const value = valueOf(event, field)
  if (value === null || value === undefined) return null
  if (field === 'composition') {
    return Object.entries(value as Record<string, number>)
      .map(([code, count]) => `${code}:${count}`)
      .join(LIST_SEPARATOR)
  }
  return typeof value === 'number' ? value : plainValue(value)
}

const COLUMNS: Column<EventDocument>[] = [
  ['id', (e) => e.id],
  ['version', (e) => e.version],
  ...FIELDS.map((field): Column<EventDocument> => [FIELD_COLUMN[field], (e) => cellOf(e, field)]),
  ['participants', (e) => e.participants.map((participant) => participant.id).join(LIST_SEPARATOR)],
  ['created_at', (e) => e.createdAt],
  ['updated_at', (e) => e.updatedAt],
  ...FIELDS.flatMap((field) => evidenceColumns<EventDocument>(FIELD_COLUMN[field], (e) => e[field])),
]

export const EVENT_CSV_HEADERS: readonly string[] = COLUMNS.map(([header]) => header)

export const csvEventHeaderLine = (): string => csvHeaderOf(COLUMNS)

export const csvEventLine = (event: EventDocument): string => csvLineOf(COLUMNS, event)
