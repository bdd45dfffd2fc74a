import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { DryRunFlag, PageCursor, PageLimit } from '../../shared/paging.dto'
import { IsPartialDate } from '../../shared/partial-date'
import { IDENTIFIER_PATTERNS, PRISONER_FIELDS, PRISONER_STATUSES } from '../../core/document/fields'
import { declarationOf } from '../../core/document/record-fields'
import { LANGUAGES, type Language } from '../../shared/labels'
import { isCountryCode } from '../../shared/countries'
import { ListOf } from '../../shared/list-values'
import { StateChangeDto } from '../../shared/state-change.dto'
import { formFieldOf } from './prisoners.kinds'
import { IsSchemeAndId, SCHEME_FORMS } from '../../core/record/record-values.dto'
import { decorate } from '../../core/record/record-write.dto'

export { splitIdentifier } from '../../core/record/record-values.dto'
// The write itself is core's (every writer of records checks it): here for the module's callers as before.
export { FIELD_INPUTS, PrisonerWriteDto } from '../../core/record/record-write.dto'

/** The fields whose declaration says lists may sort on them. */
export const SORTED_FIELDS = PRISONER_FIELDS.filter((field) => declarationOf(field).sortable)
export const LIST_SORTS = ['name', '-name', ...SORTED_FIELDS.flatMap((field) => [field, `-${field}`]), 'createdAt', '-createdAt']
export type ListSort = string

/** The fields whose declaration gives lists a range filter of dates (`releasedFrom`/`releasedTo`…). */
export const RANGE_FIELDS = PRISONER_FIELDS.filter((field) => declarationOf(field).range)

/** What a read of records may leave out: any field but `id`, which is always kept. */
export const SELECTABLE_FIELDS = [...PRISONER_FIELDS, 'events', 'version', 'createdAt', 'updatedAt'] as const

/** How a site shapes a read: fewer fields, and labels in its readers' language. */
export class RecordShapeQuery {
  @ListOf({
    test: (field) => (SELECTABLE_FIELDS as readonly string[]).includes(field),
    message: `name fields of a record: ${SELECTABLE_FIELDS.join(', ')}`,
    description: 'Only these fields of each record (with its `id`, always; and `match`, in a search). Each selection has its own ETag.',
    example: 'name,status',
    enum: SELECTABLE_FIELDS,
  })
  fields?: string[]

  @JSONSchema({
    description:
      'Adds `labels`: the nationality, status and destination named in this language (en, be, ru, pl, lt), beside the cited ' +
      'values, which stay as their sources give them. Without it, the first of these languages in Accept-Language.',
    example: 'be',
  })
  @IsOptional()
  @IsIn(LANGUAGES, { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  lang?: Language
}

/**
 * The query string of GET /v1/prisoners. The date ranges its fields' declarations give (releasedFrom/releasedTo…)
 * come after the other filters of values, so the parameters that follow are decorated after them, in this order.
 */
export class ListPrisonersQuery extends RecordShapeQuery {
  @JSONSchema({ description: 'A name in any spelling or script: Siarhei Tsikhanouski, Sergei Tikhanovsky and Сяргей Ціханоўскі find the same person.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string

  @ListOf({ test: isCountryCode, upperCase: true, message: 'each must be an ISO 3166-1 alpha-2 code such as BY', description: 'ISO 3166-1 alpha-2 code of the nationality, e.g. BY.', example: 'BY,PL' })
  nationality?: string[]

  @ListOf({ test: (status) => (PRISONER_STATUSES as readonly string[]).includes(status), message: `each must be one of ${PRISONER_STATUSES.join(', ')}`, description: 'The status.', example: 'released,deceased', enum: PRISONER_STATUSES })
  status?: string[]

  @ListOf({ test: isCountryCode, upperCase: true, message: 'each must be an ISO 3166-1 alpha-2 code such as LT', description: 'ISO 3166-1 alpha-2 code of the country the person was taken to, e.g. LT.', example: 'LT,PL' })
  destination?: string[]

  event?: string
  wikidata?: string
  identifier?: string
  sort?: ListSort
  limit?: number
  cursor?: string
}
const listQuery = ListPrisonersQuery.prototype
for (const field of RANGE_FIELDS) {
  const { from, to, verb } = declarationOf(field).range!
  decorate(listQuery, from, JSONSchema({ description: `${verb} on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).` }), IsOptional(), IsPartialDate())
  decorate(listQuery, to, JSONSchema({ description: `${verb} on or before this date; 2025-06 includes every day of June 2025.` }), IsOptional(), IsPartialDate())
}
decorate(
  listQuery,
  'event',
  JSONSchema({ description: 'Only the people who took part in this event (GET /v1/events).' }),
  IsOptional(),
  IsUUID('all', { message: 'event must be the UUID of an event' }),
)
decorate(
  listQuery,
  'wikidata',
  JSONSchema({ description: 'Only the record that carries this Wikidata item among its public identifiers, e.g. Q42.', example: 'Q42' }),
  IsOptional(),
  IsString(),
  Matches(IDENTIFIER_PATTERNS.wikidata.pattern, { message: 'wikidata must be a Wikidata item id such as Q42 (the id alone, not a URL)' }),
)
decorate(
  listQuery,
  'identifier',
  JSONSchema({ description: `Only the records that carry this id of another registry, as scheme:id (${SCHEME_FORMS.replace(/ /g, ':')}).`, example: 'wikidata:Q42' }),
  IsOptional(),
  IsString(),
  IsSchemeAndId(),
)
decorate(
  listQuery,
  'sort',
  JSONSchema({ description: 'Order of the list; a leading - reverses it. Ignored with q: search results come best match first.' }),
  IsOptional(),
  IsIn(LIST_SORTS),
)
decorate(listQuery, 'limit', PageLimit(200, 50, 'Records'))
decorate(listQuery, 'cursor', PageCursor())

/** A DELETE's query string: its reason, and whether it is a dry run. */
export class DeleteQuery extends StateChangeDto {
  @DryRunFlag()
  dryRun?: boolean
}

const formText = (description: string, example: string | undefined, extra: Record<string, unknown> = {}): PropertyDecorator => {
  const rules = [JSONSchema({ description, ...(example === undefined ? {} : { example }), ...extra }), IsOptional(), IsString()] as PropertyDecorator[]
  return (target, property) => rules.forEach((rule) => rule(target, property))
}
const QUOTE = 'The exact words of the source that support it, copied from its text (GET /v1/sources/{id}/passages finds them).'

/**
 * The flat form of POST and PATCH /v1/prisoners (multipart/form-data or x-www-form-urlencoded): one source, then
 * each field's value and the quote that supports it. Here only its form is checked (texts, no unknown field); it
 * then becomes a PrisonerWriteDto and goes through every rule of a JSON write (see prisoners.form.ts).
 * An empty value skips its field.
 */
const FormTexts = class {} as new () => Partial<Record<string, string>>
/** Either form of a record, the one a route's body is when it came as a form. */
export class RecordForm extends FormTexts {}

/**
 * Declares the record form's fields on a form class. The form that adds a record shows examples, which Swagger UI
 * fills its fields with (a record to start from); the form that changes one shows none: Swagger UI fills a field
 * with its example, and a volunteer who types only a comment would otherwise propose every example value. Its
 * examples are empty, not absent, because Swagger UI fills a text field without one with the word "string".
 */
function declareRecordForm(form: typeof RecordForm, { examples }: { examples: boolean }): void {
  // A list (an enum) of the change form offers '' too: its empty example is then one of its values (Spectral, Redocly),
  // and it means what an empty field means, unchanged.
  const unchangedFirst = (extra?: Record<string, unknown>) => (Array.isArray(extra?.enum) ? { ...extra, enum: ['', ...(extra.enum as unknown[])] } : extra)
  const text = (description: string, example: string | undefined, extra?: Record<string, unknown>) =>
    examples ? formText(description, example, extra) : formText(description, '', unchangedFirst(extra))
  decorate(
    form.prototype,
    'sourceId',
    text('The id of the source every quote below comes from (see GET /v1/sources; add it first if it is not there).', '1521cb37-2589-4456-b979-61aaea5b1d83'),
  )
  for (const { texts, quoteField, quoteOf, quoteExample } of PRISONER_FIELDS.map(formFieldOf)) {
    for (const { property, description, example, extra } of texts) decorate(form.prototype, property, text(description, example, extra))
    decorate(form.prototype, quoteField, text(QUOTE.replace('it,', `${quoteOf},`), quoteExample))
  }
  decorate(form.prototype, 'comment', text("Why you add or change this; kept in the record's history.", 'From article A.'))
}

/** The form of POST /v1/prisoners, its fields prefilled with an example record. */
export class PrisonerFormDto extends RecordForm {}
declareRecordForm(PrisonerFormDto, { examples: true })

/** The form of PATCH /v1/prisoners/{id}: every field starts empty, and an empty field leaves its value as it is. */
export class PrisonerChangeFormDto extends RecordForm {}
declareRecordForm(PrisonerChangeFormDto, { examples: false })
