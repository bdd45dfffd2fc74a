import { TransformationType } from 'class-transformer'
import { ValidationArguments, ValidationTypes, getMetadataStorage } from 'class-validator'
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata'

/**
 * class-transformer's metadata storage, the very instance @Transform() and @Type() write to: read here, and by
 * class-validator-jsonschema for @Type() targets (dto.ts). The package's index does not export it, and its
 * CommonJS module has no declarations beside it: they are in types/.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- that instance, typed
export const { defaultMetadataStorage: transformerMetadata } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage')

/**
 * A flat DTO's class-validator rules, read from its metadata once rather than on every request.
 *
 * `validateSync` looks a class's rules up again on each call, walking every class that has any (the app has
 * many DTOs), and builds an error object for every property, present or not. On a name search that was about
 * 50 µs of the app's CPU per request, more than everything else the framework adds (bench/RESULTS.md). Here the
 * same constraint instances run, with the same arguments, in the same order; what they answer decides only
 * whether the input is accepted as it is. An input not accepted goes the whole way through class-transformer
 * and `validateSync`, which word the problems, so a refusal reads exactly as before.
 *
 * Only flat DTOs get a check: a class with rules that this does not mirror (nested objects, `each`, IsDefined,
 * promises, asynchronous constraints) has none and is always validated the whole way.
 */
export interface DtoCheck<T extends object> {
  /**
   * The instance class-transformer would make of `data`, without it: when every key is a property without
   * transformation (no @Transform or @Type) and every value a string, number, boolean or null, which
   * class-transformer copies as they are. Undefined otherwise.
   */
  copy(data: object): T | undefined
  /** Whether every rule holds for `instance` (class-validator would report no error with dto.ts's options). */
  accepts(instance: T): boolean
}

interface PropertyRules {
  conditions: ValidationMetadata[]
  constraints: { metadata: ValidationMetadata; validate: (value: unknown, args: ValidationArguments) => unknown }[]
  copiedAsIs: boolean
}

const MIRRORED = new Set<string>([ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.WHITELIST])
const checks = new Map<new () => object, DtoCheck<object> | null>()

/** The check of `dto`, compiled on first use; null when the class has rules it does not mirror. */
export function dtoCheck<T extends object>(dto: new () => T): DtoCheck<T> | null {
  if (!checks.has(dto)) checks.set(dto, compile(dto))
  return checks.get(dto) as DtoCheck<T> | null
}

function compile<T extends object>(dto: new () => T): DtoCheck<T> | null {
  const storage = getMetadataStorage()
  // The lookup validateSync makes with dto.ts's options (no groups, `always` and `strictGroups` off).
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined)
  // @Expose and @Exclude rename or drop keys on the way in: such a class is left to class-transformer.
  if (metadatas.length === 0 || transformerMetadata.getExposedMetadatas(dto).length || transformerMetadata.getExcludedMetadatas(dto).length) return null
  const properties = new Map<string, PropertyRules>()
  for (const metadata of metadatas) {
    if (!MIRRORED.has(metadata.type) || metadata.each) return null
    const rules = properties.get(metadata.propertyName) ?? {
      conditions: [],
      constraints: [],
      copiedAsIs: !transformed(dto, metadata.propertyName),
    }
    properties.set(metadata.propertyName, rules)
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) rules.conditions.push(metadata)
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) continue
    for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
      if (constraint.async) return null
      rules.constraints.push({ metadata, validate: (value, args) => constraint.instance.validate(value, args) })
    }
  }
  const entries = [...properties]
  return {
    copy(data) {
      const keys = Object.keys(data)
      for (const key of keys) {
        const value = (data as Record<string, unknown>)[key]
        if (!properties.get(key)?.copiedAsIs || (value !== null && typeof value === 'object')) return undefined
      }
      const instance = new dto() as Record<string, unknown>
      for (const key of keys) instance[key] = (data as Record<string, unknown>)[key]
      return instance as T
    },
    accepts(instance) {
      const object = instance as Record<string, unknown>
      for (const key of Object.keys(object)) if (!properties.has(key)) return false
      for (const [property, { conditions, constraints }] of entries) {
        const value = object[property]
        if (!conditions.every((condition) => condition.constraints[0](object, value))) continue
        for (const { metadata, validate } of constraints) {
          if (metadata.validateIf && !metadata.validateIf(object, value)) continue
          const args: ValidationArguments = { targetName: dto.name, property, object, value, constraints: metadata.constraints }
          const valid = validate(value, args)
          if (!valid || valid instanceof Promise) return false
        }
      }
      return true
    },
  }
}

/** Whether class-transformer changes this property's value on its way into an instance. */
function transformed(dto: new () => object, property: string): boolean {
  return (
    transformerMetadata.findTransformMetadatas(dto, property, TransformationType.PLAIN_TO_CLASS).length > 0 ||
    transformerMetadata.findTypeMetadata(dto, property) !== undefined
  )
}
