import { Column, Entity, PrimaryColumn } from 'typeorm'

export const SOURCE_KINDS = ['news', 'ngo', 'official', 'court', 'social', 'other'] as const
export type SourceKind = (typeof SOURCE_KINDS)[number]

/** A document that citations point into; its archived text, when held, is what quotes are checked against. */
@Entity('sources')
export class SourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 500 })
  title: string

  @Column({ type: 'varchar', length: 200, nullable: true })
  publisher: string | null

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url: string | null

  /** A partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD): publishers rarely give more. */
  @Column({ name: 'published_at', type: 'varchar', length: 10, nullable: true })
  publishedAt: string | null

  @Column({ name: 'retrieved_at', type: 'varchar', length: 10, nullable: true })
  retrievedAt: string | null

  /** BCP 47 language tag of the archived text. */
  @Column({ type: 'varchar', length: 35, nullable: true })
  language: string | null

  @Column({ type: 'varchar', length: 20 })
  kind: SourceKind

  /** What an auditor should know about the source itself (e.g. why its text is not archived). */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  note: string | null

  @Column({ type: 'text', nullable: true })
  content: string | null

  @Column({ name: 'content_sha256', type: 'varchar', length: 64, nullable: true })
  contentSha256: string | null

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  /** The name of the API key that added it ("seed" for the seed); null for sources added before this was kept. */
  @Column({ name: 'created_by', type: 'varchar', length: 200, nullable: true })
  createdBy: string | null

  /** The id of the key that made it (null for the seed, and for older rows whose name no key had alone): its pseudonym is made from it. */
  @Column({ name: 'created_by_key', type: 'varchar', length: 36, nullable: true })
  createdByKey: string | null

  /** The key's role at the time ('seed' for the seed): what the public sees beside the pseudonym. */
  @Column({ name: 'created_by_role', type: 'varchar', length: 20, nullable: true })
  createdByRole: string | null

  /** A private source (a family's letter, a testimony): editors read it; others see only that it supports a value. */
  @Column({ type: 'boolean', default: false })
  private: boolean
}
