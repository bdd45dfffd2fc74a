import { EntityManager } from 'typeorm'
import { Database } from '../../db/database'
import { PrisonerEntity } from '../../db/entities/prisoner.entity'
import { SourceRedactionEntity } from '../../db/entities/source-redaction.entity'
import { RecordWriter } from '../../core/record/record-writer'
import { SourceText } from '../../core/evidence/source-text'
import { ProblemError } from '../../errors'
import { newId } from '../../shared/ids'
import { now } from '../../shared/time'
import { CreateRedactionDto } from './sources.dto'

/** A redaction as editors read it. */
export interface RedactionView {
  id: string
  sourceId: string
  start: number
  end: number
  /** The words left out of the public rendition, as archived. */
  text: string
  reason: string
  comment: string
  createdBy: string
  createdAt: string
}

/**
 * Editors' redactions of sources' archived texts (docs/design.md §2, invariant 8; core/access/redactions.ts). Adding
 * or removing one rewrites the public documents of the records whose citations overlap it, in the same transaction,
 * so that every read path serves them marked from the commit on.
 */
export class RedactionsService {
  constructor(private readonly db: Database) {}

  async list(sourceId: string): Promise<RedactionView[]> {
    const text = await this.textOf(sourceId)
    const rows = await this.db.all<Omit<RedactionView, 'text'>>(
      `SELECT id, source_id AS "sourceId", span_start AS start, span_end AS "end", reason, comment, created_by AS "createdBy", created_at AS "createdAt"
       FROM source_redactions WHERE source_id = ? ORDER BY span_start, id`,
      [sourceId],
    )
    return rows.map((row) => ({ ...row, start: Number(row.start), end: Number(row.end), text: text.slice(Number(row.start), Number(row.end)) }))
  }

  create(sourceId: string, input: CreateRedactionDto, actor: string): Promise<RedactionView> {
    return this.db.transaction(async (manager) => {
      const text = await this.textOf(sourceId)
      if (input.end <= input.start || input.end > text.length) {
        throw new ProblemError('validation-failed', 'The span is not within the archived text.', [
          { path: '/end', message: `must be after start and at most the text's length (${text.length} code points)` },
        ])
      }
      const redaction: SourceRedactionEntity = { id: newId(), sourceId, ...input, createdBy: actor, createdAt: now() }
      await manager.insert(SourceRedactionEntity, redaction)
      await republishOverlapping(manager, sourceId, redaction)
      return { ...redaction, text: text.slice(redaction.start, redaction.end) }
    })
  }

  remove(sourceId: string, redactionId: string): Promise<void> {
    return this.db.transaction(async (manager) => {
      const redaction = await manager.findOneBy(SourceRedactionEntity, { id: redactionId, sourceId })
      if (!redaction) throw new ProblemError('not-found', `Source ${sourceId} has no redaction ${redactionId}.`)
      await manager.delete(SourceRedactionEntity, { id: redactionId })
      await republishOverlapping(manager, sourceId, redaction)
    })
  }

  private async textOf(sourceId: string): Promise<SourceText> {
    const row = await this.db.get<{ content: string | null }>('SELECT content FROM sources WHERE id = ?', [sourceId])
    if (!row) throw new ProblemError('not-found', `No source with id ${sourceId}.`)
    if (row.content === null) throw new ProblemError('not-found', `Source ${sourceId} has no archived text to redact.`)
    return new SourceText(row.content)
  }
}

/** Stores again the public documents of the records citing the span, which now read it marked (or no longer). */
async function republishOverlapping(manager: EntityManager, sourceId: string, span: { start: number; end: number }): Promise<void> {
  const rows = (await manager.query(
    manager.connection.options.type === 'postgres'
      ? `SELECT DISTINCT k.prisoner_id AS id FROM citations c JOIN claims k ON k.id = c.claim_id
         WHERE c.source_id = $1 AND c.quote_start < $2 AND c.quote_end > $3`
      : `SELECT DISTINCT k.prisoner_id AS id FROM citations c JOIN claims k ON k.id = c.claim_id
         WHERE c.source_id = ? AND c.quote_start < ? AND c.quote_end > ?`,
    [sourceId, span.end, span.start],
  )) as { id: string }[]
  const writer = new RecordWriter(manager)
  for (const { id } of rows) {
    const prisoner = await manager.findOneBy(PrisonerEntity, { id })
    if (prisoner) await writer.republish(prisoner)
  }
}
