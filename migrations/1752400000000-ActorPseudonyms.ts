import { createHmac, randomBytes } from 'node:crypto'
import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm'

/**
 * Who did it, safely (issue 24; docs/design.md §2, invariant 8): the public sees an actor as a role and a pseudonym
 * made from the key's id, so every place that records an actor keeps the key's id and role beside its name:
 * revisions of records and events, the source's author, a proposal's decider. Existing rows are attributed where
 * the name they recorded belongs to exactly one key (as SubmitterKeys1751200000000 did); the seed's are the seed's.
 *
 * `instance_secrets` keeps the secret the pseudonyms are made with, one per database, so that every instance on a
 * shared PostgreSQL, and every restart, shows the same pseudonym (ACTOR_PSEUDONYM_SECRET replaces it).
 *
 * Reviews of proposals named the proposer by name in their public comment ("Approved proposal … by Anna") and in
 * their diff: those names become the proposer's pseudonym. History is otherwise never rewritten; a name that
 * endangers its holder in every public answer is the one exception (issue 24).
 */

/** A proposer's pseudonym as src/core/access/actors.ts makes it (frozen here: a migration never reads src/). */
const proposerPseudonym = (secret: string, name: string, key: string | null) =>
  `volunteer ${createHmac('sha256', secret).update(key !== null ? `key:${key}` : `name:${name}`).digest('hex').slice(0, 6)}`

const REVIEW_COMMENT = /^(Approved|Rejected) proposal ([0-9a-f-]{36}) by /

interface ReviewRow {
  id: number
  comment: string | null
  diff: string
}
const ACTOR_COLUMNS: readonly { table: string; name: string; key: string; role: string }[] = [
  { table: 'revisions', name: 'actor', key: 'actor_key', role: 'actor_role' },
  { table: 'event_revisions', name: 'actor', key: 'actor_key', role: 'actor_role' },
  { table: 'sources', name: 'created_by', key: 'created_by_key', role: 'created_by_role' },
  { table: 'proposals', name: 'decided_by', key: 'decided_by_key', role: 'decided_by_role' },
  { table: 'event_proposals', name: 'decided_by', key: 'decided_by_key', role: 'decided_by_role' },
]

export class ActorPseudonyms1752400000000 implements MigrationInterface {
  name = 'ActorPseudonyms1752400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres'
    // Bytewise comparison on PostgreSQL, as every text column since SharedByInstances1751400000000.
    const bytewise = postgres ? { collation: 'C' } : {}
    for (const { table, key, role } of ACTOR_COLUMNS) {
      await queryRunner.addColumns(table, [
        new TableColumn({ name: key, type: 'varchar', length: '36', isNullable: true, ...bytewise }),
        new TableColumn({ name: role, type: 'varchar', length: '20', isNullable: true, ...bytewise }),
      ])
    }
    await ActorPseudonyms1752400000000.attributeExisting(queryRunner)
    await queryRunner.createTable(
      new Table({
        name: 'instance_secrets',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true, ...bytewise },
          { name: 'value', type: 'varchar', length: '200', ...bytewise },
        ],
      }),
    )
    const secret = randomBytes(32).toString('hex')
    await queryRunner.query(`INSERT INTO instance_secrets (name, value) VALUES ('actor-pseudonym', ${postgres ? '$1' : '?'})`, [secret])
    await ActorPseudonyms1752400000000.pseudonymiseProposers(queryRunner, secret)
  }

  /** Attributes rows written before key ids were kept, where the name they recorded belongs to exactly one key. */
  static async attributeExisting(queryRunner: QueryRunner): Promise<void> {
    for (const { table, name, key, role } of ACTOR_COLUMNS) {
      const onlyKey = `(SELECT COUNT(*) FROM api_keys k WHERE k.name = ${table}.${name}) = 1`
      await queryRunner.query(
        `UPDATE ${table} SET ${key} = (SELECT k.id FROM api_keys k WHERE k.name = ${table}.${name}),
           ${role} = (SELECT k.role FROM api_keys k WHERE k.name = ${table}.${name})
         WHERE ${name} <> 'seed' AND ${onlyKey}`,
      )
      await queryRunner.query(`UPDATE ${table} SET ${role} = 'seed' WHERE ${name} = 'seed'`)
    }
  }

  /** Replaces the proposer's name by their pseudonym in the comment and diff of each review of a proposal. */
  static async pseudonymiseProposers(queryRunner: QueryRunner, secret: string): Promise<void> {
    const [first, second, third] = queryRunner.connection.options.type === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?']
    for (const [revisions, proposals] of [['revisions', 'proposals'], ['event_revisions', 'event_proposals']]) {
      const reviews = (await queryRunner.query(
        `SELECT id, comment, diff FROM ${revisions} WHERE action = 'review' AND comment LIKE '%proposal % by %'`,
      )) as ReviewRow[]
      for (const review of reviews) {
        const proposalId = REVIEW_COMMENT.exec(review.comment ?? '')?.[2]
        if (!proposalId) continue
        const [proposal] = (await queryRunner.query(
          `SELECT proposed_by AS "name", proposed_by_key AS "key" FROM ${proposals} WHERE id = ${first}`,
          [proposalId],
        )) as { name: string; key: string | null }[]
        if (!proposal) continue
        const pseudonym = proposerPseudonym(secret, proposal.name, proposal.key)
        const named = `proposal ${proposalId} by ${proposal.name}`
        const comment = review.comment!.replace(named, `proposal ${proposalId} by ${pseudonym}`)
        const diff = JSON.parse(review.diff) as { proposal?: { id: string; proposedBy?: string } }
        if (diff.proposal?.id === proposalId && diff.proposal.proposedBy !== undefined) diff.proposal.proposedBy = pseudonym
        await queryRunner.query(`UPDATE ${revisions} SET comment = ${first}, diff = ${second} WHERE id = ${third}`, [comment, JSON.stringify(diff), review.id])
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('instance_secrets')
    // The columns stay: on SQLite TypeORM drops a column by rebuilding the table, which foreign keys forbid here.
  }
}
