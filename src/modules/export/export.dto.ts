import { IsIn } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The query string of GET /v1/export and GET /v1/export/events. */
export class ExportQuery {
  @JSONSchema({
    description:
      '`ndjson`: one record (or event) per line, exactly as GET /v1/prisoners/{id} (or GET /v1/events/{id}) returns it (for programs). ' +
      '`csv`: one row per record (or event), values flattened for spreadsheets, with their citations in `*_citations` columns.',
  })
  @IsIn(EXPORT_FORMATS, { message: 'format must be csv or ndjson' })
  format: ExportFormat
}
