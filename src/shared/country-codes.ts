import { CountryCodes } from 'validator/lib/isISO31661Alpha2'

/**
 * The ISO 3166-1 alpha-2 codes the server accepts: the list IsISO31661Alpha2 (class-validator, through validator.js)
 * checks against, so `RM` (not assigned) is refused here and in the contract alike.
 */
export const COUNTRY_CODES: string[] = [...CountryCodes].sort()

/** The contract's one declaration of a country code (components/schemas/CountryCode); fields refer to it. */
export const COUNTRY_CODE_COMPONENT = {
  type: 'string',
  enum: COUNTRY_CODES,
  description: 'An assigned ISO 3166-1 alpha-2 country code, upper case, e.g. BY.',
}
export const COUNTRY_CODE_SCHEMA = { $ref: '#/components/schemas/CountryCode' }
