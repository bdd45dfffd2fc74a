import type { FastifyReply } from 'fastify'
import { recordAs } from '../../core/access/public-view'

/** A stored or written record: as everyone reads it, and whole for editors where that differs. */
export interface RecordVersions {
  document: string
  etag: string
  editorDocument: string | null
  editorEtag: string | null
}

/** Answers a record as the caller may read it (core/access), with its ETag: the stored JSON, sent as it is. */
export function sendRecord(reply: FastifyReply, record: RecordVersions, status = 200) {
  const { document, etag } = recordAs(reply.request.apiKey, record)
  return reply.code(status).header('etag', etag).type('application/json').send(document)
}
