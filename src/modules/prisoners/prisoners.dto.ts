import { Type } from 'class-transformer'
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
  registerDecorator,
} from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { CountryCodes } from 'validator/lib/isISO31661Alpha2'
import { DryRunFlag, PageCursor, PageLimit } from '../../shared/paging.dto'
import { FieldInput, Omittable, UPPER_CASE_CODE, WriteField, citedField } from '../../shared/cited-field.dto'
import { IsPartialDate } from '../../shared/partial-date'
import { IDENTIFIER_PATTERNS, IDENTIFIER_SCHEMES, PRISONER_FIELDS, PRISONER_STATUSES, type IdentifierScheme } from '../../core/document/fields'
import { LANGUAGES, type Language } from '../../shared/labels'
import { ListOf } from '../../shared/list-values'
import { EventIds } from '../../shared/event-ids.dto'
import { StateChangeDto } from '../../shared/state-change.dto'

export class SentenceValue {
  @JSONSchema({ description: 'The sentence in words, as the source gives it.' })
  @IsString()
  @Length(1, 1000)
  text: string

  @JSONSchema({ description: 'Total term in months, when the source allows computing it.' })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(1200)
  termMonths?: number

  @Omittable()
  @IsPartialDate()
  sentencedIn?: string

  @Omittable()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  charges?: string[]
}

export class DestinationValue {
  @JSONSchema({ description: 'ISO 3166-1 alpha-2 country code, e.g. LT.' })
  @Matches(UPPER_CASE_CODE, { message: 'country must be an upper-case ISO 3166-1 alpha-2 code such as LT' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as LT' })
  country: string

  @Omittable()
  @IsString()
  @Length(1, 200)
  place?: string
}

const SCHEME_FORMS = IDENTIFIER_SCHEMES.map((scheme) => `${scheme} ${IDENTIFIER_PATTERNS[scheme].example}`).join(', ')

/** An id written as its scheme's registry writes it (IDENTIFIER_PATTERNS); an unknown scheme is IsIn's to report. */
function IsIdOfItsScheme(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isIdOfItsScheme',
      target: target.constructor,
      propertyName: String(property),
      options: {
        message: (args) => {
          const scheme = (args?.object as { scheme?: unknown } | undefined)?.scheme as IdentifierScheme
          const known = Object.hasOwn(IDENTIFIER_PATTERNS, scheme) ? IDENTIFIER_PATTERNS[scheme] : undefined
          return known
            ? `id is not a ${scheme} id: write it as ${scheme} does, such as ${known.example} (the id alone, not a URL)`
            : `id must be written as its scheme's registry writes it: ${SCHEME_FORMS}`
        },
      },
      validator: {
        validate: (id: unknown, args) => {
          const scheme = (args?.object as { scheme?: unknown } | undefined)?.scheme as IdentifierScheme
          const known = Object.hasOwn(IDENTIFIER_PATTERNS, scheme) ? IDENTIFIER_PATTERNS[scheme] : undefined
          return typeof id === 'string' && (!known || known.pattern.test(id))
        },
      },
    })
}

/** One list of identifiers names each `{ scheme, id }` once. */
function NoRepeatedIdentifiers(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'noRepeatedIdentifiers',
      target: target.constructor,
      propertyName: String(property),
      options: { message: 'value names the same { scheme, id } more than once' },
      validator: {
        validate: (value: unknown) => {
          if (!Array.isArray(value)) return true
          const pairs = value.map((item: { scheme?: unknown; id?: unknown } | null) => JSON.stringify([item?.scheme, item?.id]))
          return new Set(pairs).size === pairs.length
        },
      },
    })
}

/** `scheme:id`, the id valid for its scheme. */
function IsSchemeAndId(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isSchemeAndId',
      target: target.constructor,
      propertyName: String(property),
      options: { message: `identifier must be scheme:id, such as ${SCHEME_FORMS.replace(/ /g, ':')}` },
      validator: { validate: (value: unknown) => typeof value === 'string' && splitIdentifier(value) !== null },
    })
}

/** `wikidata:Q42` as `{ scheme, id }`; null when the scheme is unknown or the id not written as it writes ids. */
export function splitIdentifier(text: string): { scheme: IdentifierScheme; id: string } | null {
  const at = text.indexOf(':')
  const [scheme, id] = [text.slice(0, at), text.slice(at + 1)] as [IdentifierScheme, string]
  return at > 0 && Object.hasOwn(IDENTIFIER_PATTERNS, scheme) && IDENTIFIER_PATTERNS[scheme].pattern.test(id) ? { scheme, id } : null
}

export class IdentifierValue {
  @JSONSchema({ description: `The registry: ${IDENTIFIER_SCHEMES.join(', ')}.` })
  @IsIn(IDENTIFIER_SCHEMES)
  scheme: IdentifierScheme

  @JSONSchema({ description: `The id as the registry writes it: ${SCHEME_FORMS}.`, example: 'Q42' })
  @IsIdOfItsScheme()
  @Length(1, 200)
  @IsString()
  id: string
}

export const NameInput = citedField('Name', [IsString(), Length(1, 300), Matches(/\p{L}/u, { message: 'value must hold the letters of a name' })], {
  description: 'The name as the source spells it, in any script (at least one letter).',
  // \p{L} needs a regular expression's Unicode mode, which not every reader of JSON Schema patterns uses.
  pattern: undefined,
})
export const NationalityInput = citedField(
  'Nationality',
  [
    Matches(UPPER_CASE_CODE, { message: 'value must be an upper-case ISO 3166-1 alpha-2 code such as BY' }),
    IsISO31661Alpha2({ message: 'value must be an ISO 3166-1 alpha-2 code such as BY' }),
  ],
  { description: 'ISO 3166-1 alpha-2 country code, e.g. BY.' },
)
export const StatusInput = citedField('Status', [IsIn(PRISONER_STATUSES)], { type: 'string' })
// ValidateNested accepts an array of objects as readily as one object: IsObject says it must be one.
export const SentenceInput = citedField('Sentence', [
  IsObject({ message: 'value must be one object { text, termMonths?, sentencedIn?, charges? }' }),
  ValidateNested(),
  Type(() => SentenceValue),
])
export const ReleaseDateInput = citedField('ReleaseDate', [IsPartialDate()])
export const DestinationInput = citedField('Destination', [
  IsObject({ message: 'value must be one object { country, place? }' }),
  ValidateNested(),
  Type(() => DestinationValue),
])
// The ids a source states (the Wikidata item captured as a source says "Q…"); the citations of the list cite them all.
export const IdentifiersInput = citedField('Identifiers', [
  IsArray({ message: 'value must be a list of { scheme, id }' }),
  ArrayMinSize(1, { message: 'value must name at least one { scheme, id }; to clear the field send { "value": null, "citations": [] }' }),
  ArrayMaxSize(20),
  NoRepeatedIdentifiers(),
  ValidateNested({ each: true }),
  Type(() => IdentifierValue),
])

/** The body of POST and PATCH: any subset of the cited fields, and why the change is made. */
export class PrisonerWriteDto {
  @WriteField(() => NameInput)
  name?: FieldInput<string>

  @WriteField(() => NationalityInput)
  nationality?: FieldInput<string>

  @WriteField(() => StatusInput)
  status?: FieldInput<string>

  @WriteField(() => SentenceInput)
  sentence?: FieldInput<SentenceValue>

  @WriteField(() => ReleaseDateInput)
  releaseDate?: FieldInput<string>

  @WriteField(() => DestinationInput)
  destination?: FieldInput<DestinationValue>

  @WriteField(() => IdentifiersInput)
  identifiers?: FieldInput<IdentifierValue[]>

  @EventIds()
  events?: string[]

  @JSONSchema({ description: "Why this change is made; kept in the record's history." })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string
}


export const LIST_SORTS = ['name', '-name', 'releaseDate', '-releaseDate', 'createdAt', '-createdAt'] as const
export type ListSort = (typeof LIST_SORTS)[number]

/** What a read of records may leave out: any field but `id`, which is always kept. */
export const SELECTABLE_FIELDS = [...PRISONER_FIELDS, 'events', 'version', 'createdAt', 'updatedAt'] as const

const isCountryCode = (code: string) => /^[A-Z]{2}$/.test(code) && (CountryCodes as Set<string>).has(code)

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

/** The query string of GET /v1/prisoners. */
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

  @JSONSchema({ description: 'Released on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).' })
  @IsOptional()
  @IsPartialDate()
  releasedFrom?: string

  @JSONSchema({ description: 'Released on or before this date; 2025-06 includes every day of June 2025.' })
  @IsOptional()
  @IsPartialDate()
  releasedTo?: string

  @JSONSchema({ description: 'Only the people who took part in this event (GET /v1/events).' })
  @IsOptional()
  @IsUUID('all', { message: 'event must be the UUID of an event' })
  event?: string

  @JSONSchema({ description: 'Only the record that carries this Wikidata item among its public identifiers, e.g. Q42.', example: 'Q42' })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER_PATTERNS.wikidata.pattern, { message: 'wikidata must be a Wikidata item id such as Q42 (the id alone, not a URL)' })
  wikidata?: string

  @JSONSchema({ description: `Only the records that carry this id of another registry, as scheme:id (${SCHEME_FORMS.replace(/ /g, ':')}).`, example: 'wikidata:Q42' })
  @IsOptional()
  @IsString()
  @IsSchemeAndId()
  identifier?: string

  @JSONSchema({ description: 'Order of the list; a leading - reverses it. Ignored with q: search results come best match first.' })
  @IsOptional()
  @IsIn(LIST_SORTS)
  sort?: ListSort

  @PageLimit(200, 50, 'Records')
  limit?: number

  @PageCursor()
  cursor?: string
}

/** A DELETE's query string: its reason, and whether it is a dry run. */
export class DeleteQuery extends StateChangeDto {
  @DryRunFlag()
  dryRun?: boolean
}

/** The ISO 3166-1 alpha-2 codes, as IsISO31661Alpha2 (class-validator, through validator.js) checks them: the form's dropdowns. */
export const COUNTRY_CODES: string[] = [...CountryCodes].sort()

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' })
/** "BY (Belarus)": how a code reads in a form's description. */
export const countryLabel = (code: string) => `${code} (${countryNames.of(code) ?? code})`

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
export class PrisonerFormDto {
  @formText('The id of the source every quote below comes from (see GET /v1/sources; add it first if it is not there).', '1521cb37-2589-4456-b979-61aaea5b1d83')
  sourceId?: string

  @formText('The name as the source spells it, in any script.', 'Siarhei Tsikhanouski')
  name?: string

  @formText(QUOTE.replace('it,', 'the name,'), 'prominent opposition figure Siarhei Tsikhanouski')
  nameQuote?: string

  @formText(`The country of nationality, as its two-letter code: ${['BY', 'LT', 'PL', 'UA', 'RU'].map(countryLabel).join(', ')}.`, 'BY', {
    enum: COUNTRY_CODES,
  })
  nationality?: string

  @formText(QUOTE.replace('it,', 'the nationality,'), 'Belarusians openly criticising local officials')
  nationalityQuote?: string

  @formText('Whether the person is detained, released or deceased.', 'released', { enum: [...PRISONER_STATUSES] })
  status?: string

  @formText(QUOTE.replace('it,', 'the status,'), 'Fourteen political prisoners, including prominent opposition figure Siarhei Tsikhanouski, have been released')
  statusQuote?: string

  @formText('The sentence in words, as the source gives it.', '18 years in a high-security penal colony')
  sentenceText?: string

  @formText(QUOTE.replace('it,', 'the sentence,'), 'Tsikhanouski was sentenced to 18 years in a high-security penal colony')
  sentenceQuote?: string

  @formText('The day of release, as precisely as the source says: 2025, 2025-06 or 2025-06-21 (year-month-day).', '2025-06-21')
  releaseDate?: string

  @formText(QUOTE.replace('it,', 'the date,'), '21 June 2025')
  releaseDateQuote?: string

  @formText(`The country the person was taken to on release, as its two-letter code, e.g. ${countryLabel('LT')}.`, 'LT', { enum: COUNTRY_CODES })
  destinationCountry?: string

  @formText('The town or place there, if the source names it.', 'Vilnius')
  destinationPlace?: string

  @formText(QUOTE.replace('it,', 'the destination,'), 'were transferred to Lithuania')
  destinationQuote?: string

  // An empty example: the seed's sources state no such id, so a prefilled one would be refused as uncited, and
  // without an example Swagger UI fills the field with the word "string", which would be sent.
  @formText(
    `The person's ids in other registries, as scheme:id, several separated by spaces: ${SCHEME_FORMS.replace(/ /g, ':')}. ` +
      'On a change, the whole list: the ids already there that you leave out are removed.',
    '',
  )
  identifiers?: string

  @formText(QUOTE.replace('it,', 'the ids (e.g. the Wikidata item captured as a source),'), '')
  identifiersQuote?: string

  @formText("Why you add or change this; kept in the record's history.", 'From article A.')
  comment?: string
}
