import type { Readable } from 'node:stream'
import formbody from '@fastify/formbody'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { htmlToText } from '../core/evidence/html-text'
import { ProblemError } from '../errors'
import { MultipartForm, readMultipartForm } from './multipart-form'

/**
 * Volunteers write through forms as well as JSON (docs/design.md §4): `application/x-www-form-urlencoded` and
 * `multipart/form-data` bodies, which Swagger UI renders as form fields. Only routes whose body schema names
 * the form's content type (`schema.body.content`) take them; every other route answers 415, as before.
 *
 * A form reaches its route as a plain object of strings: an empty field is left out (it means "not given"), and
 * the one file a form may carry is given as its text. A `.txt` file is read as UTF-8; an `.html` file is reduced
 * to its readable text, one paragraph a line. A `dryRun` field is read as the query parameter of that name.
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

/** The most parts a form may have: far more than any form of this API has fields. */
const MAX_FORM_PARTS = 41

/** Every field of a multipart body (a repeated one as a list), the one file as its text; 422 for a second file. */
function multipartFields(form: MultipartForm): [string, unknown][] {
  const files = form.parts.filter((part) => 'file' in part)
  if (files.length > 1) {
    const [, second] = files
    throw new ProblemError('validation-failed', `A form takes one file, the text of its one source; "${second.name}" is a second file.`, [
      { path: second.name, message: 'is a second file; a form takes one (one file per source): add each other file as a source of its own' },
    ])
  }
  const fields = new Map<string, unknown[]>()
  for (const part of form.parts) {
    const value = 'file' in part ? uploadedText(part.file.filename, part.file.mimetype, part.file.bytes) : withLineFeeds(part.value)
    fields.set(part.name, [...(fields.get(part.name) ?? []), value])
  }
  return [...fields].map(([key, values]) => [key, values.length === 1 ? values[0] : values])
}

/** Every field of a urlencoded body (a repeated one as a list, as @fastify/formbody gives it). */
function urlencodedFields(request: FastifyRequest): [string, unknown][] {
  return Object.entries((request.body ?? {}) as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? withLineFeeds(value) : value])
}

/** A form's body as plain fields, empty ones left out; 422 for a field no form has. */
function formFields(request: FastifyRequest): Record<string, unknown> {
  const fields = request.body instanceof MultipartForm ? multipartFields(request.body) : urlencodedFields(request)
  const body: [string, unknown][] = []
  for (const [key, value] of fields) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ProblemError('validation-failed', `"${key}" is not a field of any form.`, [{ path: key, message: 'is not a field of this form; remove it' }])
    }
    if (value !== '' && value !== undefined) body.push([key, value])
  }
  return Object.fromEntries(body)
}

/** Whether a route takes `?dryRun` (its query schema, from dtoSchema, names it). */
function takesDryRun(request: FastifyRequest): boolean {
  const query = (request.routeOptions.schema as { querystring?: { properties?: Record<string, unknown> } } | undefined)?.querystring
  return query?.properties?.dryRun !== undefined
}

/**
 * `dryRun` sent as a form field means what the query parameter means: a person filling a form puts it with the
 * other fields. It moves to the query before either is validated; a query that says otherwise is refused, since
 * only one of them can be meant (and a dry run asked for must not be saved).
 */
function dryRunFieldToQuery(request: FastifyRequest, body: Record<string, unknown>): void {
  if (!('dryRun' in body) || !takesDryRun(request)) return
  const { dryRun, ...fields } = body
  const query = (request.query ?? {}) as Record<string, unknown>
  if (query.dryRun !== undefined && query.dryRun !== dryRun) {
    const message = `is ${JSON.stringify(dryRun)} in the form but ${JSON.stringify(query.dryRun)} in the query string: give it once`
    throw new ProblemError('validation-failed', `dryRun ${message}.`, [{ path: 'dryRun', message }])
  }
  request.query = { ...query, dryRun }
  request.body = fields
}

export default fp(
  async (app) => {
    const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024

    // Refused before the body is read on a route that takes no form. Callback hooks: most requests are not forms,
    // and pass through without a promise of their own.
    app.addHook('preParsing', (request, _reply, payload, done) => {
      // Reads send no Content-Type: they leave here, before its media type is worked out.
      if (request.headers['content-type'] !== undefined && isForm(request) && !routeContentTypes(request).includes(request.mediaType ?? '')) {
        done(new ProblemError('unsupported-media-type', `This operation takes application/json, not ${request.mediaType}.`))
        return
      }
      done(null, payload)
    })

    await app.register(formbody, { bodyLimit })
    // Read as it streams in, the whole form and each part within the body limit (multipart-form.ts).
    // `payload` is the request as preParsing made it (request-body.plugin.ts decodes it), not always the raw one.
    app.addContentTypeParser('multipart/form-data', (request: FastifyRequest, payload: Readable) =>
      readMultipartForm(payload, request.headers, { bodyLimit: request.routeOptions.bodyLimit ?? bodyLimit, parts: MAX_FORM_PARTS }),
    )

    // The body as plain fields, empty ones left out; a multipart body's file as its text.
    app.addHook('preValidation', (request, _reply, done) => {
      if (request.body === undefined || !isForm(request)) return done()
      try {
        const body = formFields(request)
        request.body = body
        dryRunFieldToQuery(request, body)
        done()
      } catch (error) {
        done(error as Error)
      }
    })
  },
  { name: 'form-body', dependencies: ['json-body'] },
)
