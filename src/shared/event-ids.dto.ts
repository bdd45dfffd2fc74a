import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

/** The events a record took part in, as a write gives them: the ids of existing events. */
export function EventIds(): PropertyDecorator {
  return (target, property) => {
    const name = String(property)
    for (const rule of [
      JSONSchema({ description: 'The ids of the events the person took part in (GET /v1/events); replaces the list the record had.' }),
      IsOptional(),
      IsArray(),
      ArrayMaxSize(50),
      ArrayUnique({ message: 'events must not name an event twice' }),
      IsUUID('all', { each: true, message: 'each of events must be the UUID of an event' }),
    ]) (rule as PropertyDecorator)(target, name)
  }
}
