import { plainToInstance } from 'class-transformer'
import { IS_ISO31661_ALPHA_2, MATCHES, MAX, MIN, ValidationError, ValidatorOptions, validateSync } from 'class-validator'
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema'
import type { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters'
import type { FastifySchemaCompiler } from 'fastify'
import { FieldError, ProblemError, describeProblems } from '../errors'
import { COUNTRY_CODE_COMPONENT, COUNTRY_CODE_SCHEMA } from './countries'
import { PARTIAL_DATE_SCHEMA } from './partial-date'
import { dtoCheck, transformerMetadata } from './dto-check'

/**
 * One DTO class is the single source of a request's shape: class-validator checks it, and
 * class-validator-jsonschema turns the same decorators into the JSON Schema that documents it.
 * Routes put `dtoSchema(Dto)` in their schema; the validator compiler below finds the class again
 * from that schema object and validates with class-validator instead of Ajv.
 */

type DtoClass = new () => object

const REF_PREFIX = '#/components/schemas/'
const classOfSchema = new WeakMap<object, DtoClass>()

/**
 * A `Matches` rule as a JSON Schema `pattern`, when its readers all read it as the server does. A pattern is run by
 * Swagger UI as `new RegExp(pattern)`, without the `u` flag, and by Python's `re`: neither reads `\p{L}`, and
 * Swagger UI then refuses "Vilnius" before sending it. So a rule written in Unicode mode is not a pattern of the
 * document; its DTO says the rule in words (its description) instead, and the server still checks it.
 */
function matchesPattern(meta: { constraints: unknown[] }): Record<string, unknown> {
  const rule = meta.constraints[0] as RegExp
  return /[uv]/.test(rule.flags) ? { type: 'string' } : { type: 'string', pattern: rule.source }
}

// How validators that class-validator-jsonschema does not know by itself (or misreads) read in JSON Schema.
const additionalConverters: ISchemaConverters = {
  [MATCHES]: matchesPattern,
  // Bounds only: its default also says `type: number`, which would override IsInt's `integer` (a limit of 2.5 is refused).
  [MIN]: (meta) => ({ minimum: meta.constraints[0] }),
  [MAX]: (meta) => ({ maximum: meta.constraints[0] }),
  isPartialDate: PARTIAL_DATE_SCHEMA as ISchemaConverters[string],
  // Several values of a query parameter (list-values.ts): text on the wire, whatever they become once read.
  isListOf: { type: 'string' },
  [IS_ISO31661_ALPHA_2]: COUNTRY_CODE_SCHEMA as ISchemaConverters[string],
}

const schemaOptions = () => ({
  refPointerPrefix: REF_PREFIX,
  classTransformerMetadataStorage: transformerMetadata,
  additionalConverters,
})

/**
 * The JSON Schema of a DTO (nested DTOs by $ref to the OpenAPI components), tied back to its class.
 * `extra` adds documentation only, such as request examples.
 */
export function dtoSchema(dto: DtoClass, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const schema = { ...closed(targetConstructorToSchema(dto, schemaOptions()) as Record<string, unknown>), ...extra }
  classOfSchema.set(schema, dto)
  return schema
}

/**
 * The body schema of a form, for `schema.body.content[<form type>]`: validated by its DTO class like any body
 * (the validator compiler finds the class by this object), documented as a `$ref` to the DTO's component, so
 * that the form's fields (and their dropdowns of country codes) are written once in the OpenAPI document
 * however many operations and content types take it.
 */
/** The DTOs of form bodies (formSchema): their problems name form fields. */
const formDtos = new Set<new () => object>()

export function formSchema(dto: new () => object): { schema: Record<string, unknown> } {
  formDtos.add(dto)
  const schema = dtoSchema(dto)
  for (const key of Object.keys(schema)) delete schema[key]
  schema.$ref = `#/components/schemas/${dto.name}`
  return { schema }
}

/**
 * A DTO's schema says what validation does: every DTO refuses a field it does not declare (VALIDATION_OPTIONS'
 * forbidNonWhitelisted), so its object takes no other property.
 */
function closed(schema: Record<string, unknown>): Record<string, unknown> {
  return schema.type === 'object' && schema.properties ? { ...schema, additionalProperties: false } : schema
}

/** Every DTO's schema, for the OpenAPI document's components, and the country codes they refer to. */
export function dtoComponentSchemas(): Record<string, unknown> {
  const schemas = validationMetadatasToSchemas(schemaOptions()) as Record<string, Record<string, unknown>>
  return { ...Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, closed(schema)])), CountryCode: COUNTRY_CODE_COMPONENT }
}

/** A request's parts, and 'form': a body sent as a form, whose problems name its fields (title, not /title). */
type RequestPart = 'body' | 'form' | 'querystring' | 'params' | 'headers'

function describe(error: ValidationError): string {
  const constraints = error.constraints ?? {}
  if (constraints.whitelistValidation) return 'is not a field of this request; remove it'
  // class-validator's generic "nested property must be either object or array" only repeats a clearer rule;
  // alone, it is said plainly: every nested value of this API is one object.
  const { nestedValidation: _nested, ...specific } = constraints
  return Object.keys(specific).length ? Object.values(specific).join('; ') : 'must be an object'
}

/** A message, and the property it names first when it does (class-validator's messages begin with `$property`). */
function said(property: string, message: string): Pick<FieldError, 'message' | 'subject'> {
  const named = message.startsWith(property) && !/\w/.test(message.charAt(property.length))
  return named ? { message, subject: property } : { message }
}

/** Flattens class-validator's tree into JSON Pointers (`/name/citations/0/quote`). */
function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = `${prefix}/${error.property}`
    const own = error.constraints ? [{ path, ...said(error.property, describe(error)) }] : []
    return own.concat(flatten(error.children ?? [], path))
  })
}

/**
 * No request of this API nests deeper, has more fields in one object or more items in one list than these.
 * Data far outside them is refused before class-transformer walks it: its recursion overflows the stack on
 * deep nesting, and listing a hundred thousand unknown fields one by one would hold the server for seconds.
 */
const MAX_DEPTH = 12
const MAX_FIELDS = 50
const MAX_ITEMS = 500
/** A client fixing its request needs the first problems, not a list as long as the request. */
const MAX_REPORTED_ERRORS = 50

// In Unicode mode a character class matches a surrogate only when it is not half of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u
const NOT_UNICODE = 'is not valid Unicode text: it holds half of a surrogate pair (such as \\ud800) without the other half'
// PostgreSQL's text holds every character but NUL, and no text the registry keeps has one: refused on both engines.
const HAS_NUL = 'holds a NUL character (\\u0000), which no text of the registry may hold'
/** What is wrong with a text as text, if anything. */
const textProblem = (text: string): string | undefined => (LONE_SURROGATE.test(text) ? NOT_UNICODE : text.includes('\u0000') ? HAS_NUL : undefined)

/**
 * The first place where `data` leaves those bounds or holds text that is not valid Unicode (or holds NUL), walked
 * without recursion. Such text would be stored as U+FFFD (or refused by PostgreSQL), so a source's stored bytes
 * would no longer match the SHA-256 computed when it was archived.
 */
function outOfBounds(data: unknown): FieldError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: data, path: '', depth: 0 }]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item
    const problem = typeof value === 'string' ? textProblem(value) : undefined
    if (problem) return { path, message: problem }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_DEPTH) return { path, message: `is nested more than ${MAX_DEPTH} levels deep; no request of this API is` }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
    if (Array.isArray(value) && entries.length > MAX_ITEMS) return { path, message: `has more than ${MAX_ITEMS} items` }
    if (!Array.isArray(value) && entries.length > MAX_FIELDS) return { path, message: `has more than ${MAX_FIELDS} fields; no object of this API has` }
    for (const [key, child] of entries) {
      const keyProblem = textProblem(key)
      if (keyProblem) return { path: `${path}/${key}`, message: `is a field name that ${keyProblem}` }
      stack.push({ value: child, path: `${path}/${key}`, depth: depth + 1 })
    }
  }
  return undefined
}

/** How every DTO is validated: no field it does not declare, one reason per field. */
export const VALIDATION_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  // One reason per field: "abc" is not a whole number, and need not also be called too small and too large.
  stopAtFirstError: true,
  validationError: { target: false, value: false },
}

export function validateDto<T extends object>(dto: new () => T, data: unknown, part: RequestPart): T {
  const isBody = part === 'body'
  const slug = isBody || part === 'form' ? 'validation-failed' : 'invalid-request'
  // A POST without a body (restore, review) is an empty object, so optional fields stay optional.
  if (data === undefined || data === null) data = {}
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const what = isBody ? 'The body' : `The ${part}`
    throw new ProblemError(slug, `${what} must be a JSON object.`, [
      { path: '', message: 'must be an object' },
    ])
  }
  const check = dtoCheck(dto)
  const copied = check?.copy(data)
  // Flat and accepted: its keys are the DTO's own and its values plain, so of the bounds only valid text is left to check.
  if (copied && check!.accepts(copied) && !Object.values(copied).some((value) => typeof value === 'string' && textProblem(value))) {
    return copied
  }
  const bound = outOfBounds(data)
  if (bound) {
    const error = isBody ? bound : { ...bound, path: bound.path.slice(1) }
    throw new ProblemError(slug, `${error.path || 'The ' + part} ${error.message}.`, [error])
  }
  const instance = copied ?? plainToInstance(dto, data)
  if (!copied && check?.accepts(instance)) return instance
  const errors = validateSync(instance, VALIDATION_OPTIONS)
  if (errors.length > 0) {
    // Body errors point into the JSON (/name/citations/0); query and path errors name the parameter.
    const allErrors = flatten(errors).map((e) => (isBody ? e : { ...e, path: e.path.slice(1) }))
    const fieldErrors = allErrors.slice(0, MAX_REPORTED_ERRORS)
    const where = isBody ? 'the body' : part === 'querystring' ? 'the query string' : `the ${part}`
    const detail = describeProblems(fieldErrors, where, allErrors.length - fieldErrors.length)
    throw new ProblemError(slug, detail, fieldErrors)
  }
  return instance
}

/**
 * Fastify validator compiler: DTO-backed schemas go through class-validator. Header schemas only
 * document (If-Match); the routes that need a header check it themselves, with a precise problem.
 */
export const dtoValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const dto = classOfSchema.get(schema as object)
  if (!dto && httpPart === 'headers') return (data: unknown) => ({ value: data })
  if (!dto) {
    throw new Error(`The ${httpPart} schema of a route must come from dtoSchema(): ${JSON.stringify(schema)}`)
  }
  return (data: unknown) => {
    try {
      return { value: validateDto(dto, data, formDtos.has(dto) ? 'form' : (httpPart as RequestPart)) }
    } catch (error) {
      return { error: error as Error }
    }
  }
}
