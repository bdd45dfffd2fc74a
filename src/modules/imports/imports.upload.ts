import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import Busboy from '@fastify/busboy'
import { ProblemError } from '../../errors'

/** The uploaded file of an import, as a stream of its bytes while the request still arrives. */
export interface Upload {
  filename: string
  mimetype: string
  stream: Readable
  /** Whether the file went past the size limit (its stream then ended early). */
  truncated: () => boolean
}

const unreadable = (message: string) => new ProblemError('invalid-request', `The multipart/form-data body cannot be read: ${message}.`)

/**
 * Reads a multipart/form-data body as it streams in and hands its one file part (`file`) to `handle` as a stream,
 * unlike the other forms of this API (src/plugins/multipart-form.ts), which are read whole within the body limit:
 * a spreadsheet is read row by row and may be larger. The file is cut at `maxBytes` (`truncated()` then says so).
 * Resolves with what `handle` returned once the body has ended; rejects when the body cannot be read, the client goes
 * away, or there is no file.
 */
export function readUpload<T>(payload: Readable, headers: IncomingHttpHeaders, maxBytes: number, handle: (upload: Upload) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let parser: InstanceType<typeof Busboy>
    try {
      parser = new Busboy({ headers: headers as { 'content-type': string }, limits: { files: 1, fileSize: maxBytes, parts: 10, fields: 9, fieldSize: 1000 } })
    } catch (error) {
      reject(unreadable((error as Error).message))
      return
    }
    let handled: Promise<T> | undefined
    let file: Readable | undefined
    let settled = false
    const fail = (error: Error) => {
      if (settled) return
      settled = true
      payload.unpipe(parser)
      reject(error)
    }
    parser.on('file', (name: string, stream: Readable, filename: string | undefined, _encoding: string, mimetype: string) => {
      if (name !== 'file' || handled) {
        stream.resume()
        return
      }
      file = stream
      let truncated = false
      stream.on('limit', () => (truncated = true))
      handled = handle({ filename: filename ?? '', mimetype, stream, truncated: () => truncated })
      // Its failure is answered once the body is done or gone (below); meanwhile the rest of the body is drained.
      handled.catch(() => stream.resume())
    })
    parser.on('filesLimit', () => fail(new ProblemError('validation-failed', 'An import takes one file.', [{ path: 'file', message: 'is given twice; send one file' }])))
    parser.on('error', (error: Error) => fail(unreadable(error.message)))
    parser.on('finish', () => {
      if (settled) return
      if (!handled) return fail(new ProblemError('validation-failed', 'The form has no file.', [{ path: 'file', message: 'is missing: choose the .csv or .xlsx file to import' }]))
      settled = true
      handled.then(resolve, reject)
    })
    payload.on('error', (error: Error) => fail(error instanceof ProblemError ? error : unreadable(error.message)))
    payload.on('close', () => {
      if (!payload.readableEnded) {
        const gone = unreadable('the connection closed before the body ended')
        // The rows read so far stay handled; the file's reader stops with this error.
        file?.destroy(gone)
        fail(gone)
      }
    })
    payload.pipe(parser)
  })
}
