import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm'

const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable })

/**
 * Webhooks (issue 26): the URLs sites registered and the kinds of change each wants, and their deliveries.
 * Writes do not know about webhooks: the public change feeds are the outbox. Each webhook keeps how far it has read
 * each feed (`record_changes_seq`, `event_changes_seq`: the revision ids the feeds number their entries with); a
 * dispatcher turns the entries after them into `webhook_deliveries` rows and moves them on in one transaction,
 * with a compare-and-set on the cursor. `seq` grows in the feeds' order, which orders deliveries per subject.
 * Dispatchers of every instance claim due rows by a lease (`lease_owner`, `lease_until`) set with a
 * compare-and-set update, so a killed instance's claims expire.
 */
export class Webhooks1751800000000 implements MigrationInterface {
  name = 'Webhooks1751800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('url', 2000),
          // JSON list of the kinds of change sent ("record.update", "event.*", …).
          varchar('events', 2000),
          // whsec_<base64>: kept to sign deliveries, shown to the subscriber once.
          varchar('secret', 100),
          // The key (id) that registered it: its holder reads and deletes it, as admins do.
          varchar('created_by', 36),
          varchar('created_at', 30),
          // The feeds' heads when it was registered: it receives the changes made after it.
          { name: 'record_changes_seq', type: 'integer', default: 0 },
          { name: 'event_changes_seq', type: 'integer', default: 0 },
        ],
      }),
    )
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          // The webhook-id header: the same on every attempt, so receivers drop repeats.
          varchar('message_id', 60),
          varchar('webhook_id', 36),
          // 'record' or 'event', its id and the version its revision made.
          varchar('subject', 10),
          varchar('subject_id', 36),
          { name: 'version', type: 'integer' },
          varchar('kind', 40),
          // queued, retrying, delivered, failed (attempts exhausted), skipped (webhook or change gone when sent).
          varchar('status', 20),
          { name: 'attempts', type: 'integer', default: 0 },
          varchar('next_attempt_at', 30),
          varchar('lease_owner', 36, true),
          varchar('lease_until', 30, true),
          varchar('last_attempt_at', 30, true),
          { name: 'last_status', type: 'integer', isNullable: true },
          varchar('last_error', 500, true),
          varchar('delivered_at', 30, true),
          varchar('created_at', 30),
        ],
        uniques: [
          { name: 'UQ_webhook_deliveries_message', columnNames: ['message_id'] },
          // One delivery per change per webhook: a cursor moved twice over the same entries would fail, not send twice.
          { name: 'UQ_webhook_deliveries_change', columnNames: ['webhook_id', 'subject', 'subject_id', 'version'] },
        ],
        indices: [
          { name: 'IDX_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'IDX_webhook_deliveries_subject', columnNames: ['webhook_id', 'subject_id', 'seq'] },
        ],
      }),
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries')
    await queryRunner.dropTable('webhooks')
  }
}
