import { Identity } from '../../core/access/access'
import { Database } from '../../db/database'
import { evidenceError, evidenceProblems, FieldInput } from '../../core/evidence/evidence'
import type { ValueWarning } from '../../core/evidence/value-support'
import { FieldError, ProblemError, describeProblems } from '../../errors'
import { validateDto } from '../../shared/dto'
import { PRISONER_FIELDS } from '../../core/document/fields'
import { PrisonerWriteDto, RecordForm } from './prisoners.dto'
import { FormField, formFieldOf } from '../../core/document/field-kinds'

/**
 * The flat record form (docs/design.md §4) as the JSON write it stands for: each value given becomes
 * `{ value, citations: [{ sourceId, quote }] }`, citing the form's one source. It is then checked by the same
 * rules as JSON (validateDto) and its evidence by the same check, all problems answered together, each at
 * the form field a person fills.
 */

type Form = RecordForm

/** Each cited field as the form spells it (its kind's encoding, core/document/field-kinds.ts), in the order of the write. */
const FORM_FIELDS: FormField[] = PRISONER_FIELDS.map(formFieldOf)

const BY_FIELD = new Map<string, FormField>(FORM_FIELDS.map((f) => [f.field, f]))

/** The JSON write a form stands for; an empty value skips its field. */
export function formToWrite(form: Form): Record<string, unknown> {
  const write: Record<string, unknown> = {}
  for (const { field, value, quoteField } of FORM_FIELDS) {
    const given = value(form)
    if (given === undefined) continue
    const quote = form[quoteField]
    write[field] = { value: given, citations: quote === undefined ? [] : [{ sourceId: form.sourceId, quote }] }
  }
  if (form.comment !== undefined) write.comment = form.comment
  return write
}

/** A quote whose value is empty: most likely the value was forgotten. */
function quotesWithoutValue(form: Form): FieldError[] {
  return FORM_FIELDS.filter(({ value, quoteField }) => value(form) === undefined && form[quoteField] !== undefined).map(
    ({ valueField, quoteField }) => ({ path: quoteField, message: `${quoteField} is given but ${valueField} is empty: fill in ${valueField}, or empty ${quoteField}` }),
  )
}

/**
 * The form field a person fills for a path of the JSON write, and the message said in the form's words: by the
 * error's path, the field its message names (`subject`) and its typed `reason`, never by the message's wording.
 */
function toFormError({ path, message, subject, reason }: FieldError): FieldError {
  const [, field = '', ...rest] = path.split('/')
  const spec = BY_FIELD.get(field)
  if (!spec) return { path: field, message }
  const naming = (formField: string) => (subject ? formField + message.slice(subject.length) : message)
  // /name/value, /sentence/value/text, /destination/value/country
  if (rest[0] === 'value') {
    const part = rest[1] ? spec.parts[rest[1]] : undefined
    const formField = part || spec.valueField
    return { path: formField, message: part || subject === 'value' ? naming(formField) : message }
  }
  if (rest[0] === 'citations' && rest.length === 1) {
    const text =
      reason === 'uncited' ? `${spec.valueField} has a value but no quote: paste the words of the source that support it into ${spec.quoteField}` : message
    return { path: spec.quoteField, message: text }
  }
  if (rest[0] === 'citations') {
    if (rest[2] === 'sourceId' || reason === 'unknown-source') return { path: 'sourceId', message }
    return { path: spec.quoteField, message: subject === 'quote' ? naming(spec.quoteField) : message }
  }
  return { path: spec.valueField, message }
}

/** Warnings about values (core/evidence/value-support.ts) at the form field of each value. */
export const warningsInFormFields = (warnings: ValueWarning[]): ValueWarning[] => warnings.map(({ path, message }) => ({ path: toFormError({ path, message }).path, message }))

function formProblem(slug: ProblemError['slug'], errors: FieldError[]): ProblemError {
  const unique = [...new Map(errors.map((e) => [`${e.path}\u0000${e.message}`, e])).values()]
  const detail = describeProblems(unique, 'the form')
  return new ProblemError(slug, detail, unique)
}

/** A ProblemError of the JSON write, told in the form's fields (for the service's own refusals). */
export function inFormFields(error: unknown): unknown {
  if (!(error instanceof ProblemError) || !error.errors?.length) return error
  return formProblem(error.slug, error.errors.map(toFormError))
}

/**
 * The form as a checked PrisonerWriteDto, or one 422 naming every problem at its form field: the shape of each
 * value (JSON's rules), a value without its quote, a source that does not exist, a quote not in its source.
 */
export async function writeFromForm(db: Database, form: Form, identity: Identity): Promise<PrisonerWriteDto> {
  const stray = quotesWithoutValue(form)
  let checked: PrisonerWriteDto | undefined
  let error: ProblemError | null = null
  try {
    checked = await checkWrite(db, formToWrite(form), identity, { evidence: stray.length > 0 })
  } catch (problem) {
    if (!(problem instanceof ProblemError) || !problem.errors) throw problem
    error = problem
  }
  const errors = [...stray, ...(error?.errors ?? []).map(toFormError)]
  if (errors.length) throw formProblem(stray.length || !error ? 'validation-failed' : error.slug, errors)
  return checked!
}

/**
 * A record write checked for its shape (the DTO's rules), and, when something is wrong with it, for its evidence
 * too (every value cited, every source there, every quote in its source): the checked DTO, or one 422 naming
 * every problem of both kinds. A write whose shape is right goes on to the service, which checks its evidence in
 * its transaction, so the evidence is checked once; `evidence` asks for it here as well, when the caller has
 * problems of its own to answer with it. `shape` is what the route's validator already found.
 */
export async function checkWrite(
  db: Database,
  write: unknown,
  identity: Identity,
  { shape, evidence = false }: { shape?: FieldError[]; evidence?: boolean } = {},
): Promise<PrisonerWriteDto> {
  let checked: PrisonerWriteDto | undefined
  if (!shape) {
    try {
      checked = validateDto(PrisonerWriteDto, write, 'body')
    } catch (error) {
      if (!(error instanceof ProblemError) || !error.errors) throw error
      shape = error.errors
    }
  }
  if (!shape?.length && !evidence) return checked!
  const body = typeof write === 'object' && write !== null && !Array.isArray(write) ? (write as Record<string, unknown>) : {}
  const fields = Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'comment')) as Record<string, FieldInput>
  const { problems } = await evidenceProblems(db, fields, identity)
  const error = evidenceError([['validation-failed', shape ?? []], ...problems])
  if (error) throw error
  return checked!
}
