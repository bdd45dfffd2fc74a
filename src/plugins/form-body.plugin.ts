import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { htmlToText } from '../core/evidence/html-text'
import { ProblemError } from '../errors'

/**
 * Volunteers write through forms as well as JSON (DESIGN.md §4): `application/x-www-form-urlencoded` and
 * `multipart/form-data` bodies, which Swagger UI renders as form fields. Only routes whose body schema names
 * the form's content type (`schema.body.content`) take them; every other route answers 415, as before.
 *
 * A form reaches its route as a plain object of strings: an empty field is left out (it means "not given"), and
 * the one file a form may carry is given as its text. A `.txt` file is read as UTF-8; an `.html` file is reduced
 * to its readable text, one paragraph a line.
 */
export const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded'] as const

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function fileProblem(message: string): ProblemError {
  return new ProblemError('validation-failed', `file ${message}.`, [{ path: 'file', message }])
}

function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw fileProblem('is not UTF-8 text; save it as UTF-8 and upload it again')
  }
}

/** The text of an uploaded .txt or .html file. */
export function uploadedText(filename: string, mimetype: string, bytes: Buffer): string {
  const name = filename.toLowerCase()
  const isHtml = /\.html?$/.test(name) || (!/\.txt$/.test(name) && mimetype === 'text/html')
  const isText = /\.txt$/.test(name) || (!isHtml && mimetype === 'text/plain')
  if (!isHtml && !isText) throw fileProblem(`must be a .txt or .html file; "${filename}" is neither`)
  if (bytes.length === 0) throw fileProblem('is empty')
  const text = utf8(bytes)
  const result = isHtml ? htmlToText(text, fileProblem) : text
  if (!/\S/.test(result)) throw fileProblem('holds no readable text')
  return result
}

/**
 * Browsers send every line break typed into a form as CRLF (the HTML standard's rule for form submissions),
 * whatever the person pasted: a typed text is kept with the line breaks of the JSON API's texts, \n. An uploaded
 * file is not a typed field: its bytes are kept.
 */
const withLineFeeds = (text: string) => text.replace(/\r\n?/g, '\n')

const isForm = (request: FastifyRequest) => (FORM_TYPES as readonly string[]).includes(request.mediaType ?? '')

/** The content types a route's body schema names, when it names them one by one. */
function routeContentTypes(request: FastifyRequest): string[] {
  const body = (request.routeOptions.schema as { body?: { content?: Record<string, unknown> } } | undefined)?.body
  return body?.content ? Object.keys(body.content) : []
}

/** What the multipart parser refuses, said as this API's problems. */
function multipartProblem(error: { code?: string; message?: string }): ProblemError {
  switch (error.code) {
    case 'FST_FILES_LIMIT':
      return new ProblemError('payload-too-large', 'A form takes one file.')
    case 'FST_REQ_FILE_TOO_LARGE':
      return new ProblemError('payload-too-large', 'The file is larger than a request body may be.')
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ProblemError('payload-too-large', 'The form has more fields than any form of this API.')
    case 'FST_PROTO_VIOLATION':
      return new ProblemError('validation-failed', 'A field is named __proto__, constructor or prototype, which no form has.', [
        { path: '', message: 'remove the field named __proto__, constructor or prototype' },
      ])
    default:
      return new ProblemError('invalid-request', `The multipart/form-data body cannot be read: ${error.message ?? 'it is malformed'}.`)
  }
}

/** Every field of a multipart body (a repeated one as a list), the file as its text. */
async function multipartFields(request: FastifyRequest): Promise<[string, unknown][]> {
  const fields = new Map<string, unknown[]>()
  try {
    for await (const part of request.parts()) {
      let value: unknown
      if (part.type === 'file') {
        value = uploadedText(part.filename, part.mimetype, await part.toBuffer())
      } else {
        if (part.valueTruncated) throw new ProblemError('payload-too-large', `The field ${part.fieldname} is larger than a request body may be.`)
        value = typeof part.value === 'string' ? withLineFeeds(part.value) : part.value
      }
      fields.set(part.fieldname, [...(fields.get(part.fieldname) ?? []), value])
    }
  } catch (error) {
    throw error instanceof ProblemError ? error : multipartProblem(error as { code?: string })
  }
  return [...fields].map(([key, values]) => [key, values.length === 1 ? values[0] : values])
}

/** Every field of a urlencoded body (a repeated one as a list, as @fastify/formbody gives it). */
function urlencodedFields(request: FastifyRequest): [string, unknown][] {
  return Object.entries((request.body ?? {}) as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? withLineFeeds(value) : value])
}

/** A form's body as plain fields, empty ones left out; 422 for a field no form has. */
async function formFields(request: FastifyRequest): Promise<Record<string, unknown>> {
  const fields = request.isMultipart() ? await multipartFields(request) : urlencodedFields(request)
  const body: [string, unknown][] = []
  for (const [key, value] of fields) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ProblemError('validation-failed', `"${key}" is not a field of any form.`, [{ path: key, message: 'is not a field of this form; remove it' }])
    }
    if (value !== '' && value !== undefined) body.push([key, value])
  }
  return Object.fromEntries(body)
}

export default fp(
  async (app) => {
    const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024

    // Refused before the body is read on a route that takes no form. Callback hooks: most requests are not forms,
    // and pass through without a promise of their own.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      if (isForm(request) && !routeContentTypes(request).includes(request.mediaType ?? '')) {
        done(new ProblemError('unsupported-media-type', `This operation takes application/json, not ${request.mediaType}.`))
        return
      }
      done(null, payload)
    })

    await app.register(formbody, { bodyLimit })
    await app.register(multipart, {
      // One file, and no part larger than a whole body may be; a form has far fewer fields than these.
      limits: { files: 1, fileSize: bodyLimit, fieldSize: bodyLimit, fields: 40, parts: 41, fieldNameSize: 100 },
      throwFileSizeLimit: true,
    })

    // The body as plain fields, empty ones left out; a multipart body read here, its file as its text.
    app.addHook('preValidation', (request, _reply, done) => {
      if (!isForm(request)) return done()
      formFields(request).then(
        (body) => {
          request.body = body
          done()
        },
        (error: Error) => done(error),
      )
    })
  },
  { name: 'form-body', dependencies: ['json-body'] },
)
