import { Column, Entity, PrimaryColumn } from 'typeorm'

export const ROLES = ['volunteer', 'editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** "a volunteer", "an editor", "an admin": the article a role's name takes in messages. */
export const article = (role: Role): string => (role === 'volunteer' ? 'a' : 'an')

/** An API key. The key itself is shown once when made; only its SHA-256 is stored. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  /** Who holds it: the actor recorded on every revision the key causes. */
  @Column({ type: 'varchar', length: 200 })
  name: string

  @Column({ type: 'varchar', length: 20 })
  role: Role

  /** The key's first characters, so a holder can tell which key is which without the secret. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix: string

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy: string

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string

  @Column({ name: 'revoked_at', type: 'varchar', length: 30, nullable: true })
  revokedAt: string | null

  @Column({ name: 'last_used_at', type: 'varchar', length: 30, nullable: true })
  lastUsedAt: string | null
}
