import { ValidationOptions, registerDecorator } from 'class-validator'

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: sources often give only a year or a month. */
export const PARTIAL_DATE_PATTERN = '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$'
const PARTIAL_DATE = new RegExp(PARTIAL_DATE_PATTERN)

/** True for a partial ISO date that names a day, month or year that exists (no 2025-02-30). */
export function isPartialDate(value: unknown): value is string {
  if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) return false
  const [year, month, day] = value.split('-').map(Number)
  if (day === undefined) return true
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= daysInMonth
}

/** How `@IsPartialDate()` reads in the OpenAPI document. */
export const PARTIAL_DATE_SCHEMA = {
  type: 'string',
  pattern: PARTIAL_DATE_PATTERN,
  description: 'A date as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD. Impossible dates (2025-02-30) are rejected.',
}

export function IsPartialDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPartialDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) =>
          typeof value === 'string' && PARTIAL_DATE.test(value)
            ? `${property} ${value} is not a real date`
            : `${property} must be a date as YYYY, YYYY-MM or YYYY-MM-DD`,
        ...options,
      },
      validator: { validate: (value: unknown) => isPartialDate(value) },
    })
  }
}
