import { Identity, RecordAccess, canRead } from '../access/access'
import type { Reads } from '../../db/read-store'
import { ProblemError } from '../../errors'

/** A stored or written record: as everyone reads it, and whole for editors where that differs. */
export interface RecordVersions {
  document: string
  etag: string
  editorDocument: string | null
  editorEtag: string | null
}

export interface StoredRecord extends RecordAccess, RecordVersions {
  /** The withheld fields, with their public reason and date (JSON); null when none. */
  withheld: string | null
}

const STORED =
  'p.document, p.etag, p.editor_document AS "editorDocument", p.editor_etag AS "editorEtag", p.review_status AS "reviewStatus", p.deleted_at AS "deletedAt", p.submitted_by AS "submittedBy", p.withheld'

/** A record's read document and ETag, if the caller may read it (core/access); 404 otherwise, whatever the reason. */
export async function findReadableRecord(db: Reads, id: string, identity: Identity): Promise<StoredRecord> {
  const record = await db.get<StoredRecord>(`SELECT ${STORED} FROM prisoners p WHERE p.id = ?`, [id])
  if (!record || !canRead(identity, record)) throw new ProblemError('not-found', `No record with id ${id}.`)
  return record
}
