import 'reflect-metadata'
import { DataSource } from 'typeorm'
import { RegistrySchema1750500000000 } from '../../migrations/1750500000000-RegistrySchema'
import { ApiKeysAndReview1750600000000 } from '../../migrations/1750600000000-ApiKeysAndReview'
import { AuditTrail1750700000000 } from '../../migrations/1750700000000-AuditTrail'
import { ApiKeyEntity } from './entities/api-key.entity'
import { CitationEntity } from './entities/citation.entity'
import { ClaimEntity } from './entities/claim.entity'
import { NameKeyEntity } from './entities/name-key.entity'
import { PrisonerEntity } from './entities/prisoner.entity'
import { ProposalEntity } from './entities/proposal.entity'
import { RevisionEntity } from './entities/revision.entity'
import { SourceEntity } from './entities/source.entity'

export const ENTITIES = [
  SourceEntity,
  PrisonerEntity,
  ClaimEntity,
  CitationEntity,
  RevisionEntity,
  NameKeyEntity,
  ApiKeyEntity,
  ProposalEntity,
]

/** In the order they run. A landed migration is never edited: add a new one at the end. */
export const MIGRATIONS = [RegistrySchema1750500000000, ApiKeysAndReview1750600000000, AuditTrail1750700000000]

/** The one DataSource definition, shared by the app, the CLI and the tests. */
export function createDataSource(databasePath: string): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: databasePath,
    enableWAL: true,
    // A second writer (the seed CLI beside a running server) waits instead of failing at once.
    timeout: 10_000,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  })
}
