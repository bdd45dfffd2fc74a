import { IncomingMessage, type IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import Busboy from '@fastify/busboy'
import { ProblemError, bodyTooLarge } from '../errors'

/** One part of a multipart/form-data body: a field's text, or a file's bytes. */
export type FormPart = { name: string; value: string } | { name: string; file: { filename: string; mimetype: string; bytes: Buffer } }

/** A multipart body as read, for the form plugin to turn into fields (Fastify sets it as the request's body). */
export class MultipartForm {
  constructor(readonly parts: FormPart[]) {}
}

export interface MultipartLimits {
  /** The most bytes the whole body may have, boundaries and part headers included: the configured bodyLimit. */
  bodyLimit: number
  /** The most parts a form may have. */
  parts: number
}

/** A multipart/form-data body this API cannot read (no boundary, cut short): 400. */
function unreadable(message: string): ProblemError {
  return new ProblemError('invalid-request', `The multipart/form-data body cannot be read: ${message}.`)
}

function formPart({ name, filename, mimetype, chunks }: { name: string; filename?: string; mimetype: string; chunks: Buffer[] }): FormPart {
  const bytes = Buffer.concat(chunks)
  return filename === undefined ? { name, value: bytes.toString('utf8') } : { name, file: { filename, mimetype, bytes } }
}

/**
 * Reads a multipart/form-data body part by part as it streams in, counting every byte: past the body limit it
 * stops reading and fails with the same 413 as any other body, naming the part it was in, so that no form costs
 * more memory than the limit however many fields it has (before, each field was bounded, not the form: 38 fields
 * of 1.99 MB were read whole, 75 MB). Every part is read as a stream (busboy's `isPartAFile`), so that the part
 * being read is known from its first byte; a part with a filename is a file, any other a field (UTF-8 text).
 *
 * `payload` is what Fastify's preParsing hooks made of the request (decoded, when it had a Content-Encoding).
 * An empty body is `undefined`: no body.
 */
export function readMultipartForm(payload: Readable, headers: IncomingHttpHeaders, limits: MultipartLimits): Promise<MultipartForm | undefined> {
  return new Promise((resolve, reject) => {
    let parser: InstanceType<typeof Busboy>
    try {
      parser = new Busboy({ headers: headers as { 'content-type': string }, limits: { parts: limits.parts }, isPartAFile: () => true })
    } catch (error) {
      reject(unreadable((error as Error).message))
      return
    }
    const parts: { name: string; filename?: string; mimetype: string; chunks: Buffer[] }[] = []
    let received = 0
    let current: string | undefined
    let settled = false

    const stop = (error?: Error) => {
      if (settled) return
      settled = true
      payload.removeListener('data', onData)
      payload.removeListener('end', onEnd)
      payload.removeListener('error', onPayloadError)
      payload.removeListener('close', onPayloadClose)
      if (error) {
        payload.pause()
        // A decoded body (request-body.plugin.ts) is a stream of our own: destroying it stops its decoder too.
        // The request itself is not destroyed, so that the 413 can still be written on its connection.
        if (!(payload instanceof IncomingMessage)) payload.destroy()
        reject(error)
      } else {
        resolve(received === 0 ? undefined : new MultipartForm(parts.map(formPart)))
      }
    }

    function onData(chunk: Buffer) {
      const before = received
      received += chunk.length
      if (received <= limits.bodyLimit) {
        if (!parser.write(chunk)) payload.pause()
        return
      }
      // The bytes up to the limit, so that a part whose header is in them is the one named.
      if (limits.bodyLimit > before) parser.write(chunk.subarray(0, limits.bodyLimit - before))
      stop(bodyTooLarge(limits.bodyLimit, current))
    }
    function onEnd() {
      if (received === 0) return stop()
      parser.end()
    }
    function onPayloadError(error: Error) {
      stop(error instanceof ProblemError ? error : unreadable(error.message))
    }
    // A client gone before the body ended: the parts read so far are let go, not kept waiting for the rest.
    function onPayloadClose() {
      if (!payload.readableEnded) stop(unreadable('the connection closed before the body ended'))
    }

    // Not once stopped: the request is left unread past the limit.
    parser.on('drain', () => {
      if (!settled) payload.resume()
    })
    parser.on('file', (name: string, stream: Readable, filename: string | undefined, _encoding: string, mimetype: string) => {
      current = name
      const part = { name, filename, mimetype, chunks: [] as Buffer[] }
      parts.push(part)
      stream.on('data', (chunk: Buffer) => part.chunks.push(chunk))
      // A part cut short ("terminated early"): the parser's own error follows, and says the same.
      stream.on('error', (error: Error) => stop(unreadable(error.message)))
    })
    parser.on('partsLimit', () => stop(new ProblemError('payload-too-large', `The form has more than ${limits.parts} parts, more than any form of this API.`)))
    parser.on('error', (error: Error) => stop(unreadable(error.message)))
    parser.on('finish', () => stop())
    payload.on('data', onData)
    payload.on('end', onEnd)
    payload.on('error', onPayloadError)
    payload.on('close', onPayloadClose)
    payload.resume()
  })
}
