import {
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  isISO31661Alpha2, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidationOptions, registerDecorator } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { EVENT_FIELDS, EVENT_KINDS, EventField } from '../../core/document/fields'
import { COUNTRY_CODE_SCHEMA } from '../../shared/countries'
import { IsPartialDate } from '../../shared/partial-date'
import { PageCursor, PageLimit } from '../../shared/paging.dto'
import { FieldInput, UPPER_CASE_CODE, WriteField, citedField } from '../../shared/cited-field.dto'

const MAX_PEOPLE = 100_000

/** `{ "BY": 5, "PL": 3 }`: how many people of each nationality (upper-case ISO 3166-1 alpha-2 codes), each at least 1. */
function IsComposition(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isComposition',
      target: target.constructor,
      propertyName: String(property),
      options: { message: 'value must be an object of nationality codes and counts, such as { "BY": 5, "PL": 3 }', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length > 0 &&
          Object.keys(value).length <= 250 &&
          Object.entries(value).every(
            ([code, count]) => UPPER_CASE_CODE.test(code) && isISO31661Alpha2(code) && Number.isInteger(count) && (count as number) >= 1 && (count as number) <= MAX_PEOPLE,
          ),
      },
    })
}

export const KindInput = citedField('EventKind', [IsIn(EVENT_KINDS)], { type: 'string' })
export const EventDateInput = citedField('EventDate', [IsPartialDate()])
export const PlaceInput = citedField('Place', [IsString(), Length(1, 200)], { description: 'Where it happened, as the source names it (Minsk).' })
// One input for both ends of a journey: the same rules, documented once.
export const CountryInput = citedField(
  'Country',
  [
    Matches(UPPER_CASE_CODE, { message: 'value must be an upper-case ISO 3166-1 alpha-2 code such as BY' }),
    IsISO31661Alpha2({ message: 'value must be an ISO 3166-1 alpha-2 code such as BY' }),
  ],
  { description: 'ISO 3166-1 alpha-2 country code, e.g. LT.' },
)
export const CountInput = citedField('PeopleCount', [IsInt({ message: 'value must be a whole number of people' }), Min(1), Max(MAX_PEOPLE)], {
  description: 'How many people, as the source says.',
})
export const CompositionInput = citedField('Composition', [IsComposition()], {
  type: 'object',
  propertyNames: COUNTRY_CODE_SCHEMA,
  additionalProperties: { type: 'integer', minimum: 1, maximum: MAX_PEOPLE },
  minProperties: 1,
  maxProperties: 250,
  description: 'How many people of each nationality, by ISO 3166-1 alpha-2 code: { "BY": 5, "PL": 3 }.',
})
export const BrokeredByInput = citedField('BrokeredBy', [IsString(), Length(1, 300)], {
  description: 'Who brokered or ordered it, as the source says (U.S. envoy Keith Kellogg).',
})

/** The body of POST and PATCH /v1/events: any subset of an event's cited fields, and why; `{}` is refused (no field). */
@JSONSchema({ minProperties: 1 })
export class EventWriteDto {
  @WriteField(() => KindInput)
  kind?: FieldInput<string>

  @WriteField(() => EventDateInput)
  date?: FieldInput<string>

  @WriteField(() => PlaceInput)
  place?: FieldInput<string>

  @WriteField(() => CountryInput)
  fromCountry?: FieldInput<string>

  @WriteField(() => CountryInput)
  toCountry?: FieldInput<string>

  @WriteField(() => CountInput)
  count?: FieldInput<number>

  @WriteField(() => CompositionInput)
  composition?: FieldInput<Record<string, number>>

  @WriteField(() => BrokeredByInput)
  brokeredBy?: FieldInput<string>

  @JSONSchema({ description: 'Why this change is made.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string
}

/** The path of one field of an event: its claims, their ranks. */
export class EventFieldParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string

  @IsIn(EVENT_FIELDS)
  field: EventField
}

/** The query string of GET /v1/events. */
export class ListEventsQuery {
  @JSONSchema({ description: 'Only events of this kind.' })
  @IsOptional()
  @IsIn(EVENT_KINDS)
  kind?: string

  @PageLimit(100, 20, 'Events')
  limit?: number

  @PageCursor()
  cursor?: string
}
