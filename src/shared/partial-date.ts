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

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const pad = (n: number) => String(n).padStart(2, '0')
const iso = (year: string, month?: number, day?: number) => [year, ...(month ? [pad(month)] : []), ...(day ? [pad(day)] : [])].join('-')

/** A month's number from its English name or its first three letters (Sept too); undefined for anything else. */
function monthNamed(name: string): number | undefined {
  const word = name.toLowerCase().replace(/\.$/, '')
  const index = MONTHS.findIndex((month) => month === word || (word.length >= 3 && month.startsWith(word)))
  return index < 0 ? undefined : index + 1
}

/**
 * The partial ISO date a date written another way stands for, when it can stand for only one: 21.06.2025 (dots
 * and dashes are day first), 21/06/2025 when one number cannot be a month (06/07/2025 is June or July: no
 * guess), 2025/06/21, 06.2025, "21 June 2025", "June 21, 2025", "June 2025". Undefined otherwise.
 */
export function suggestedDate(text: string): string | undefined {
  const value = text.trim()
  let match: RegExpMatchArray | null
  let guess: string | undefined
  if ((match = value.match(/^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/))) guess = iso(match[3], Number(match[2]), Number(match[1]))
  else if ((match = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/))) {
    const [first, second] = [Number(match[1]), Number(match[2])]
    if (first === second || second > 12) guess = iso(match[3], first, second)
    else if (first > 12) guess = iso(match[3], second, first)
  } else if ((match = value.match(/^(\d{4})[./](\d{1,2})(?:[./](\d{1,2}))?$/))) guess = iso(match[1], Number(match[2]), match[3] ? Number(match[3]) : undefined)
  else if ((match = value.match(/^(\d{1,2})[./](\d{4})$/))) guess = iso(match[2], Number(match[1]))
  else if ((match = value.match(/^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?\s+(\d{4})$/))) {
    const month = monthNamed(match[2])
    if (month) guess = iso(match[3], month, Number(match[1]))
  } else if ((match = value.match(/^([A-Za-z]+\.?)\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})$/))) {
    const month = monthNamed(match[1])
    if (month) guess = iso(match[3], month, match[2] ? Number(match[2]) : undefined)
  }
  return guess !== undefined && guess !== value && isPartialDate(guess) ? guess : undefined
}

/** Why a value is not a partial date, in words, with the date it most likely means when there is one. */
export function partialDateProblem(property: string, value: unknown): string {
  if (typeof value === 'string' && PARTIAL_DATE.test(value)) return `${property} ${value} is not a real date`
  const guess = typeof value === 'string' ? suggestedDate(value) : undefined
  return `${property} must be a date as YYYY, YYYY-MM or YYYY-MM-DD${guess ? `: did you mean ${guess}?` : ''}`
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
        message: ({ property, value }) => partialDateProblem(property, value),
        ...options,
      },
      validator: { validate: (value: unknown) => isPartialDate(value) },
    })
  }
}
