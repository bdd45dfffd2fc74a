import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Length, Max, Min, registerDecorator } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { Omittable } from '../../shared/cited-field.dto'
import { COUNTRY_CODE_SCHEMA, isCountryCode, notACountryHint } from '../../shared/countries'
import { IsPartialDate } from '../../shared/partial-date'
import { IDENTIFIER_PATTERNS, IDENTIFIER_SCHEMES, type IdentifierScheme } from '../document/fields'

/** The values of a record's fields that are objects, checked part by part, and the helpers their rules share. */

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

/**
 * An upper-case ISO 3166-1 alpha-2 code, as every country value is stored and filtered ("by" would be another
 * nationality than "BY"). A refusal says which country a name or lower-case code stands for, or the closest names
 * when it names none (src/shared/countries.ts).
 */
export function IsCountryCode(example: string): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isCountryCode',
      target: target.constructor,
      propertyName: String(property),
      options: { message: (args) => `${args.property} must be an ISO 3166-1 alpha-2 code such as ${example}${notACountryHint(args.value)}` },
      validator: { validate: isCountryCode },
    })
}

export class DestinationValue {
  @JSONSchema({ ...COUNTRY_CODE_SCHEMA, description: 'ISO 3166-1 alpha-2 country code, e.g. LT.' })
  @IsCountryCode('LT')
  @IsString()
  country: string

  @Omittable()
  @IsString()
  @Length(1, 200)
  place?: string
}

export const SCHEME_FORMS = IDENTIFIER_SCHEMES.map((scheme) => `${scheme} ${IDENTIFIER_PATTERNS[scheme].example}`).join(', ')

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
export function NoRepeatedIdentifiers(): PropertyDecorator {
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
export function IsSchemeAndId(): PropertyDecorator {
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
