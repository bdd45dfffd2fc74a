import { Transform } from 'class-transformer'
import { IsOptional, registerDecorator } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

/** No filter of this API needs more values than this; a longer list is refused before it reaches SQL. */
export const MAX_LIST_VALUES = 50

/**
 * A query parameter that takes several values, as sites send them: comma-separated (`BY,PL`), the parameter
 * repeated (`status=a&status=b`), or both. Read as a list of trimmed values (upper-cased with `upperCase`), each
 * checked by `test`; the message says which value is wrong and why.
 */
export function ListOf(options: {
  test: (value: string) => boolean
  message: string
  description: string
  example: string
  upperCase?: boolean
  enum?: readonly string[]
}): PropertyDecorator {
  const rules = [
    JSONSchema({
      type: 'string',
      description: `${options.description} Several values: comma-separated (${options.example}) or the parameter repeated.`,
      example: options.example,
      ...(options.enum ? { pattern: `^(${options.enum.join('|')})(,(${options.enum.join('|')}))*$` } : {}),
    }),
    IsOptional(),
    Transform(({ value }) => {
      const values: unknown[] = Array.isArray(value) ? value : [value]
      if (!values.every((v) => typeof v === 'string')) return value
      return (values as string[]).flatMap((v) => v.split(',')).map((v) => (options.upperCase ? v.trim().toUpperCase() : v.trim()))
    }),
  ]
  return (target, property) => {
    rules.forEach((rule) => rule(target, property as string))
    registerDecorator({
      name: 'isListOf',
      target: target.constructor,
      propertyName: property as string,
      options: {
        message: ({ property: name, value }) => {
          if (!Array.isArray(value)) return `${name} must be text: ${options.message}`
          if (value.length > MAX_LIST_VALUES) return `${name} takes at most ${MAX_LIST_VALUES} values`
          const wrong = (value as unknown[]).find((v) => typeof v !== 'string' || !options.test(v))
          return `${name}: ${JSON.stringify(wrong)} is not accepted: ${options.message}`
        },
      },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.length >= 1 && value.length <= MAX_LIST_VALUES && value.every((v) => typeof v === 'string' && options.test(v)),
      },
    })
  }
}
