import type { FieldView } from '../../core/document/fields'
import { Language, countryName, requestedLanguage, statusName } from '../../shared/labels'
import type { RecordShapeQuery } from './prisoners.dto'

/** How a read was asked to differ from the stored document: fewer fields, labels in a language. */
export interface Shape {
  fields: Set<string> | null
  language: Language | null
}

/** Kept whatever `fields` says: what names the record, and in a search, what matched. */
const ALWAYS = ['id', 'match']

/**
 * The shape a read asks for, or null for the stored document as it is: the default answer, served without parsing
 * it (reads are the hot path; this is the one test they all pay).
 */
export function shapeOf(query: RecordShapeQuery, acceptLanguage: string | undefined): Shape | null {
  if (query.fields === undefined && query.lang === undefined && acceptLanguage === undefined) return null
  const language = requestedLanguage(query.lang, acceptLanguage)
  if (query.fields === undefined && language === null) return null
  return { fields: query.fields ? new Set([...ALWAYS, ...query.fields]) : null, language }
}

/**
 * The labels of a record's values in a language: names for people, beside the cited values, which stay as their
 * sources give them. A value that is unknown or withheld (null in the document read) has none.
 */
function labelsOf(document: Record<string, unknown>, language: Language): Record<string, string> {
  const value = (field: string) => (document[field] as FieldView | undefined)?.value ?? null
  const labels: Record<string, string> = { language }
  const nationality = value('nationality')
  if (typeof nationality === 'string') labels.nationality = countryName(nationality, language)
  const status = value('status')
  if (typeof status === 'string') labels.status = statusName(status, language)
  const destination = value('destination') as { country?: unknown } | null
  if (typeof destination?.country === 'string') labels.destination = countryName(destination.country, language)
  return labels
}

/** A stored (or listed) record's JSON in the shape asked for: only the fields selected, then its labels. */
export function reshape(json: string, shape: Shape): string {
  const document = JSON.parse(json) as Record<string, unknown>
  const shaped: Record<string, unknown> = shape.fields ? Object.fromEntries(Object.entries(document).filter(([key]) => shape.fields!.has(key))) : document
  if (shape.language) {
    const labels = labelsOf(document, shape.language)
    // Only the labels of what was selected: a site that asked for the name alone gets no nationality this way.
    shaped.labels = shape.fields ? Object.fromEntries(Object.entries(labels).filter(([key]) => key === 'language' || shape.fields!.has(key))) : labels
  }
  return JSON.stringify(shaped)
}
