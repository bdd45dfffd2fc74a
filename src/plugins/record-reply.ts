import type { FastifyReply, FastifyRequest } from 'fastify'
import { maskOfStored, recordAs } from '../core/access/public-view'
import { PRISONER_FIELDS, type PrisonerDocument } from '../core/document/fields'
import type { Database } from '../db/database'
import type { RecordVersions } from '../core/record/record-reads'
import type { ValueWarning } from '../core/evidence/value-support'
import { JSON_LD_TYPE, citedSources, jsonLdDocument, personNode, publicSources } from '../core/linked-data/linked-data'

/**
 * Answers a record as the caller may read it (core/access), with its ETag: the stored JSON, sent as it is. A write's
 * answer adds `warnings` (WrittenPrisoner): the ETag stays the record's, for the If-Match of its next change.
 */
export function sendRecord(reply: FastifyReply, record: RecordVersions, status = 200, warnings?: ValueWarning[]) {
  const { document, etag } = recordAs(reply.request.apiKey, record)
  const body = warnings ? `${document.slice(0, document.lastIndexOf('}'))},"warnings":${JSON.stringify(warnings)}}` : document
  return reply.code(status).header('etag', etag).type('application/json').send(body)
}

/** A record as the caller may read it, as an object (a dry run's `wouldBe`). */
export const readableDocument = (reply: FastifyReply, record: RecordVersions): PrisonerDocument =>
  JSON.parse(recordAs(reply.request.apiKey, record).document) as PrisonerDocument

/** Whether a read asks for linked data: `application/ld+json` named in Accept (a plain substring test: reads are the hot path). */
export const wantsLinkedData = (request: FastifyRequest) => request.headers.accept?.includes(JSON_LD_TYPE) === true

/** The API's own absolute URL as the request reached it (behind a proxy, as trustProxy lets it say). */
export const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`

/**
 * A record as schema.org JSON-LD: always its public document, whatever the key (core/access: withheld values and
 * private sources never reach linked data, which is made to be republished). Its ETag is that of these bytes.
 */
export async function sendLinkedRecord(reply: FastifyReply, db: Database, record: RecordVersions & { withheld: string | null }) {
  const document = JSON.parse(recordAs(null, record).document) as PrisonerDocument
  const sources = await publicSources(db, citedSources(PRISONER_FIELDS.map((field) => document[field])))
  const node = personNode(document, sources, { base: baseUrl(reply.request), mask: maskOfStored(record) })
  return reply.type(JSON_LD_TYPE).send(jsonLdDocument(node))
}
