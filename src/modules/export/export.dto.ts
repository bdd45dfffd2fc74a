import { IsIn } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

export const EXPORT_FORMATS = ['csv', 'ndjson', 'jsonld'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The query string of GET /v1/export and GET /v1/export/events. */
export class ExportQuery {
  @JSONSchema({
    description:
      '`ndjson`: one record (or event) per line, exactly as GET /v1/prisoners/{id} (or GET /v1/events/{id}) returns it (for programs). ' +
      '`csv`: one row per record (or event), values flattened for spreadsheets, with their citations in `*_citations` columns. ' +
      '`jsonld`: one schema.org JSON-LD document whose `@graph` holds every record as a `Person` (or every event as an `Event`), as ' +
      '`Accept: application/ld+json` answers each.',
  })
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv, ndjson or jsonld' })
  format: ExportFormat
}
