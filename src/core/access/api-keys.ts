import { createHash, randomBytes } from 'node:crypto'
import { newId } from '../../shared/ids'
import { Database } from '../../db/database'
import { ApiKeyEntity, Role } from '../../db/entities/api-key.entity'
import { ProblemError } from '../../errors'
import { now } from '../../shared/time'

/** Who a request acts as: the key's holder and role. */
export interface ApiKeyIdentity {
  id: string
  name: string
  role: Role
}

export interface ApiKeyView extends ApiKeyIdentity {
  prefix: string
  createdBy: string
  createdAt: string
  revokedAt: string | null
  lastUsedAt: string | null
}

const KEY_PREFIX = 'ppr_'
// Keys are 256 random bits, so one SHA-256 is enough to store them safely: there is nothing to
// guess a password from, and a fast hash keeps authentication off the hot path's budget.
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

// Touching last_used_at on every request would turn every read into a write.
const LAST_USED_PRECISION_MS = 60_000

const COLUMNS = `id, name, role, key_prefix AS prefix, created_by AS "createdBy", created_at AS "createdAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`

export class KeysService {
  private readonly lastTouched = new Map<string, number>()

  constructor(private readonly db: Database) {}

  /** Makes a key; the secret is returned here once and never again. */
  async create(name: string, role: Role, createdBy: string): Promise<ApiKeyView & { key: string }> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url')
    const id = newId()
    await this.db.transaction((manager) =>
      manager.insert(ApiKeyEntity, {
        id,
        name,
        role,
        keyPrefix: key.slice(0, 12),
        keyHash: hashKey(key),
        createdBy,
        createdAt: now(),
        revokedAt: null,
        lastUsedAt: null,
      }),
    )
    return { ...(await this.findOrFail(id)), key }
  }

  /** The live key a bearer token stands for, or null. */
  async authenticate(token: string): Promise<ApiKeyIdentity | null> {
    const row = await this.db.get<ApiKeyIdentity>(
      'SELECT id, name, role FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
      [hashKey(token)],
    )
    if (row) this.touch(row.id)
    return row ?? null
  }

  list(): Promise<ApiKeyView[]> {
    return this.db.all<ApiKeyView>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`)
  }

  async findOrFail(id: string): Promise<ApiKeyView> {
    const row = await this.db.get<ApiKeyView>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`, [id])
    if (!row) throw new ProblemError('not-found', `No API key with id ${id}.`)
    return row
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const key = await this.findOrFail(id)
    if (!key.revokedAt) {
      await this.db.transaction((manager) => manager.update(ApiKeyEntity, { id }, { revokedAt: now() }))
    }
    return this.findOrFail(id)
  }

  private touch(id: string) {
    const at = Date.now()
    if (at - (this.lastTouched.get(id) ?? 0) < LAST_USED_PRECISION_MS) return
    this.lastTouched.set(id, at)
    void this.db
      .transaction((manager) => manager.update(ApiKeyEntity, { id }, { lastUsedAt: new Date(at).toISOString() }))
      .catch(() => this.lastTouched.delete(id))
  }
}
