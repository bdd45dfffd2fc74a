import { Caller, hasRole } from '../../core/access/access'
import { Database } from '../../db/database'
import { WebhookDeliveryEntity, WebhookEntity } from '../../db/entities/webhook.entity'
import { ProblemError } from '../../errors'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { AddressPolicy } from './webhook-address'
import { newSecret } from './webhook-signing'

export interface WebhookView {
  id: string
  url: string
  events: string[]
  createdAt: string
}

const view = ({ id, url, events, createdAt }: WebhookEntity): WebhookView => ({ id, url, events: JSON.parse(events) as string[], createdAt })

const deliveryView = (row: WebhookDeliveryEntity) => ({
  id: row.messageId,
  kind: row.kind,
  subject: row.subject,
  subjectId: row.subjectId,
  version: row.version,
  status: row.status,
  attempts: row.attempts,
  lastAttemptAt: row.lastAttemptAt,
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  nextAttemptAt: row.status === 'retrying' ? row.nextAttemptAt : null,
  deliveredAt: row.deliveredAt,
})

/** Webhooks as their holders manage them: each key sees and deletes its own; admins every one. */
export class WebhooksService {
  private readonly policy: AddressPolicy

  constructor(
    private readonly db: Database,
    allowPrivate: readonly string[],
  ) {
    this.policy = new AddressPolicy(allowPrivate)
  }

  async create(url: string, events: string[], caller: Caller): Promise<WebhookView & { secret: string }> {
    await this.checkUrl(url)
    const fields = { id: newId(), url, events: JSON.stringify([...new Set(events)]), secret: newSecret(), createdBy: caller.id, createdAt: now() }
    const row = await this.db.transaction(async (manager) => {
      // Under the write lock: every change committed before has a revision id up to these, every later one above.
      // Taken over all revisions, public or not: the feeds number their entries with these ids and skip the rest.
      const [records] = (await manager.query('SELECT COALESCE(MAX(id), 0) AS "head" FROM revisions')) as { head: number }[]
      const [events] = (await manager.query('SELECT COALESCE(MAX(id), 0) AS "head" FROM event_revisions')) as { head: number }[]
      const webhook: WebhookEntity = { ...fields, recordChangesSeq: Number(records.head), eventChangesSeq: Number(events.head) }
      await manager.insert(WebhookEntity, webhook)
      return webhook
    })
    return { ...view(row), secret: row.secret }
  }

  async list(caller: Caller): Promise<WebhookView[]> {
    const rows = await this.db.all<WebhookEntity>(
      `SELECT id, url, events, created_at AS "createdAt" FROM webhooks ${hasRole(caller, 'admin') ? '' : 'WHERE created_by = ?'} ORDER BY id`,
      hasRole(caller, 'admin') ? [] : [caller.id],
    )
    return rows.map(view)
  }

  async get(id: string, caller: Caller): Promise<WebhookView> {
    return view(await this.find(id, caller))
  }

  async remove(id: string, caller: Caller): Promise<void> {
    await this.find(id, caller)
    await this.db.transaction(async (manager) => {
      await manager.delete(WebhookDeliveryEntity, { webhookId: id })
      await manager.delete(WebhookEntity, { id })
    })
  }

  /**
   * The latest deliveries tried: the ones not tried yet are left out, as are changes the public feed does not show
   * (their subject is nobody's business but editors').
   */
  async deliveries(id: string, caller: Caller, limit: number) {
    await this.find(id, caller)
    const rows = await this.db.all<WebhookDeliveryEntity>(
      `SELECT message_id AS "messageId", kind, subject, subject_id AS "subjectId", version, status, attempts, next_attempt_at AS "nextAttemptAt",
         last_attempt_at AS "lastAttemptAt", last_status AS "lastStatus", last_error AS "lastError", delivered_at AS "deliveredAt"
       FROM webhook_deliveries WHERE webhook_id = ? AND attempts > 0 ORDER BY seq DESC LIMIT ?`,
      [id, limit],
    )
    return rows.map(deliveryView)
  }

  private async find(id: string, caller: Caller): Promise<WebhookEntity> {
    const row = await this.db.get<WebhookEntity>(
      'SELECT id, url, events, created_by AS "createdBy", created_at AS "createdAt" FROM webhooks WHERE id = ?',
      [id],
    )
    // Someone else's webhook does not exist for this key: its URL is its holder's business.
    if (!row || (row.createdBy !== caller.id && !hasRole(caller, 'admin'))) throw new ProblemError('not-found', `No webhook with id ${id}.`)
    return row
  }

  /** 422 for a URL that is not http(s), carries credentials, or resolves to an address webhooks may not reach. */
  private async checkUrl(url: string): Promise<void> {
    const refuse = (why: string) => {
      throw new ProblemError('validation-failed', `url ${why}.`, [{ path: '/url', message: why }])
    }
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      return refuse('must be an absolute http or https URL')
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') refuse('must be an http or https URL')
    if (parsed.username || parsed.password) refuse('must not carry a user name or password')
    try {
      await this.policy.resolve(parsed.hostname)
    } catch (error) {
      refuse(`is refused: ${(error as Error).message}`)
    }
  }
}
