/**
 * The committed contract (openapi.yaml) as a checker of real answers: each response is looked up by its
 * operation and status, and its body validated against the documented schema with Ajv's JSON Schema 2020-12
 * (the dialect of OpenAPI 3.1), `$ref`s resolved to the document's components.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'

export const OPENAPI_PATH = path.join(__dirname, '../../openapi.yaml')
const DOCUMENT_ID = 'https://registry.invalid/openapi.json'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML, read keyword by keyword

export interface Answer {
  status: number
  text: string
  headers: Record<string, string | string[] | undefined>
}

export interface Operation {
  method: string
  path: string
  operationId: string
  responses: Record<string, Json>
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')

export class Contract {
  readonly document: Json
  readonly operations: Operation[]
  private readonly ajv: Ajv2020
  private readonly validators = new Map<string, ReturnType<Ajv2020['compile']>>()

  constructor(document: Json = parse(readFileSync(OPENAPI_PATH, 'utf8'))) {
    this.document = document
    this.operations = Object.entries<Json>(document.paths).flatMap(([route, item]) =>
      ['get', 'post', 'put', 'patch', 'delete']
        .filter((method) => item[method])
        .map((method) => ({ method: method.toUpperCase(), path: route, operationId: item[method].operationId, responses: item[method].responses })),
    )
    // strict: false, as the document holds OpenAPI keywords (paths, responses) beside the schemas it is searched for.
    this.ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats(this.ajv)
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID })
  }

  operation(method: string, route: string): Operation {
    const found = this.operations.find((op) => op.method === method && op.path === route)
    if (!found) throw new Error(`${method} ${route} is not an operation of openapi.yaml`)
    return found
  }

  /** The documented response of an operation for a status, `$ref` to components/responses followed. */
  response(operation: Operation, status: number): { pointer: string; response: Json } | undefined {
    let pointer = `#/paths/${escape(operation.path)}/${operation.method.toLowerCase()}/responses/${status}`
    let response = operation.responses[String(status)]
    while (response?.$ref) {
      pointer = response.$ref
      response = response.$ref.split('/').slice(1).reduce((node: Json, key: string) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.document)
    }
    return response ? { pointer, response } : undefined
  }

  /** Every way the answer breaks the contract of `method route`; none when it keeps it. */
  check(method: string, route: string, answer: Answer): string[] {
    const operation = this.operation(method, route)
    const documented = this.response(operation, answer.status)
    if (!documented) return [`status ${answer.status} is not documented (${Object.keys(operation.responses).join(', ')})`]
    const { pointer, response } = documented
    if (!response.content) return answer.text ? [`status ${answer.status} documents no body, but one came: ${answer.text.slice(0, 200)}`] : []
    const mediaType = String(answer.headers['content-type'] ?? '').split(';')[0].trim()
    const media = response.content[mediaType]
    if (!media) return [`content type ${mediaType || '(none)'} is not documented for ${answer.status} (${Object.keys(response.content).join(', ')})`]
    const isJson = mediaType === 'application/json' || mediaType.endsWith('+json')
    let body: unknown = answer.text
    if (isJson) {
      try {
        body = JSON.parse(answer.text)
      } catch {
        return [`the body is not JSON: ${answer.text.slice(0, 200)}`]
      }
    }
    const schemaPointer = `${pointer}/content/${escape(mediaType)}/schema`
    let validate = this.validators.get(schemaPointer)
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}${schemaPointer}` })
      this.validators.set(schemaPointer, validate)
    }
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)} [${e.schemaPath}]`)
  }
}
