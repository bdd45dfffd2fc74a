import { IsOptional, IsUUID } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { DryRunFlag } from '../../shared/paging.dto'

/** The query string of POST /v1/imports. */
export class ImportQuery {
  @DryRunFlag()
  dryRun?: boolean

  @JSONSchema({
    description:
      'The import to continue: an id you chose (a UUID, so that you can follow its progress at GET /v1/imports/{id} while the file ' +
      'uploads), or that of an import of yours to resume: the rows it submitted are skipped. Without it, a new id is made.',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all', { message: 'importId must be a UUID' })
  importId?: string
}
