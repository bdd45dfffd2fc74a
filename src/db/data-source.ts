import 'reflect-metadata'
import { DataSource } from 'typeorm'
import { dialectOf } from './dialect'
import { DEFAULT_TIMEOUTS } from './timeouts'
import { RegistrySchema1750500000000 } from '../../migrations/1750500000000-RegistrySchema'
import { ApiKeysAndReview1750600000000 } from '../../migrations/1750600000000-ApiKeysAndReview'
import { AuditTrail1750700000000 } from '../../migrations/1750700000000-AuditTrail'
import { SearchIndexes1750800000000 } from '../../migrations/1750800000000-SearchIndexes'
import { LacinkaNameKeys1750900000000 } from '../../migrations/1750900000000-LacinkaNameKeys'
import { NamePairKeys1751000000000 } from '../../migrations/1751000000000-NamePairKeys'
import { SourceAuthors1751100000000 } from '../../migrations/1751100000000-SourceAuthors'
import { SubmitterKeys1751200000000 } from '../../migrations/1751200000000-SubmitterKeys'
import { DerivedDataVersions1751300000000 } from '../../migrations/1751300000000-DerivedDataVersions'
import { SharedByInstances1751400000000 } from '../../migrations/1751400000000-SharedByInstances'
import { PostgresListIndexes1751500000000 } from '../../migrations/1751500000000-PostgresListIndexes'
import { WithheldValues1751600000000 } from '../../migrations/1751600000000-WithheldValues'
import { Events1751700000000 } from '../../migrations/1751700000000-Events'
import { Webhooks1751800000000 } from '../../migrations/1751800000000-Webhooks'
import { ExternalIdentifiers1751900000000 } from '../../migrations/1751900000000-ExternalIdentifiers'
import { SourceRedactions1752040000000 } from '../../migrations/1752040000000-SourceRedactions'
import { ActorPseudonyms1752400000000 } from '../../migrations/1752400000000-ActorPseudonyms'
import { ArrestDate1752500000000 } from '../../migrations/1752500000000-ArrestDate'
import { EventDocuments1752600000000 } from '../../migrations/1752600000000-EventDocuments'
import { HistoryChain1752800000000 } from '../../migrations/1752800000000-HistoryChain'
import { Recognition1752900000000 } from '../../migrations/1752900000000-Recognition'
import { SourceCaptures1752700000000 } from '../../migrations/1752700000000-SourceCaptures'
import { Imports1753000000000 } from '../../migrations/1753000000000-Imports'
import { ApiKeyEntity } from './entities/api-key.entity'
import { CitationEntity, EventCitationEntity } from './entities/citation.entity'
import { EventEntity } from './entities/event.entity'
import { EventParticipantEntity } from './entities/event-participant.entity'
import { ClaimEntity, EventClaimEntity } from './entities/claim.entity'
import { NameKeyEntity } from './entities/name-key.entity'
import { PrisonerEntity } from './entities/prisoner.entity'
import { PrisonerIdentifierEntity } from './entities/prisoner-identifier.entity'
import { ImportEntity, ImportRowEntity } from './entities/import.entity'
import { EventProposalEntity, ProposalEntity } from './entities/proposal.entity'
import { EventRevisionEntity, RevisionEntity } from './entities/revision.entity'
import { SourceEntity } from './entities/source.entity'
import { SourceRedactionEntity } from './entities/source-redaction.entity'
import { WebhookDeliveryEntity, WebhookEntity } from './entities/webhook.entity'

export const ENTITIES = [
  SourceEntity,
  PrisonerEntity,
  ClaimEntity,
  CitationEntity,
  RevisionEntity,
  NameKeyEntity,
  ApiKeyEntity,
  ProposalEntity,
  EventEntity,
  EventClaimEntity,
  EventCitationEntity,
  EventParticipantEntity,
  EventRevisionEntity,
  EventProposalEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
  PrisonerIdentifierEntity,
  SourceRedactionEntity,
  ImportEntity,
  ImportRowEntity,
]

/** In the order they run. A landed migration is never edited: add a new one at the end. */
export const MIGRATIONS = [
  RegistrySchema1750500000000,
  ApiKeysAndReview1750600000000,
  AuditTrail1750700000000,
  SearchIndexes1750800000000,
  LacinkaNameKeys1750900000000,
  NamePairKeys1751000000000,
  SourceAuthors1751100000000,
  SubmitterKeys1751200000000,
  DerivedDataVersions1751300000000,
  SharedByInstances1751400000000,
  PostgresListIndexes1751500000000,
  WithheldValues1751600000000,
  Events1751700000000,
  Webhooks1751800000000,
  ExternalIdentifiers1751900000000,
  SourceRedactions1752040000000,
  ActorPseudonyms1752400000000,
  ArrestDate1752500000000,
  EventDocuments1752600000000,
  SourceCaptures1752700000000,
  HistoryChain1752800000000,
  Recognition1752900000000,
  Imports1753000000000,
]

export type Migrations = readonly (typeof MIGRATIONS)[number][]

const SHARED = {
  entities: ENTITIES,
  migrationsTransactionMode: 'each',
  synchronize: false,
  logging: false,
} as const

/**
 * The one DataSource definition, shared by the app, the CLI and the tests: PostgreSQL for a postgres:// URL, else
 * SQLite. `connectTimeoutMs`: how long PostgreSQL's connections are waited for (timeouts.ts); `migrations`: all of
 * them unless told (tests of upgrades stop at an older one).
 */
export function createDataSource(
  location: string,
  { connectTimeoutMs = DEFAULT_TIMEOUTS.connectMs, migrations = MIGRATIONS }: { connectTimeoutMs?: number; migrations?: Migrations } = {},
): DataSource {
  if (dialectOf(location) === 'postgres') {
    // Writes only (reads have a pool of their own, postgres-store.ts): one writer at a time per instance.
    return new DataSource({
      type: 'postgres',
      url: location,
      poolSize: 4,
      applicationName: 'registry-writes',
      connectTimeoutMS: connectTimeoutMs,
      ...SHARED,
      migrations: [...migrations],
    })
  }
  return new DataSource({
    type: 'better-sqlite3',
    database: location,
    enableWAL: true,
    // In WAL mode NORMAL syncs at checkpoints rather than at every commit: a power cut may lose the last
    // commits but never corrupts the database. Checkpointing every ~40 MB of WAL rather than every 4 MB
    // syncs ten times less often. Together they took cited creates from ~80 to ~300 a second at 100,000
    // records (bench/RESULTS.md).
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('synchronous = NORMAL')
      db.pragma('wal_autocheckpoint = 10000')
    },
    // A second writer (the seed CLI beside a running server) waits instead of failing at once.
    timeout: 10_000,
    ...SHARED,
    migrations: [...migrations],
  })
}
