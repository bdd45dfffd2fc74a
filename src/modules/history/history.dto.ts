import { Transform } from 'class-transformer'
import { IsInt, IsOptional, Max, Min } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'

type Rule = (target: object, property: string) => void
const all = (...rules: Rule[]): PropertyDecorator => (target, property) => rules.forEach((rule) => rule(target, property as string))

/** A position or size of the chain: a whole number, digits only (Number() would also read "1e2"). */
function ChainNumber(description: string, { optional = false, min = 1 } = {}): PropertyDecorator {
  return all(
    JSONSchema({ description }),
    ...(optional ? [IsOptional()] : []),
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value)),
    IsInt({ message: `$property must be a whole number from ${min}` }),
    Min(min),
    Max(2_147_483_647),
  )
}

export class CheckpointsQuery {
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value))
  @IsInt({ message: '$property must be a whole number from 1 to 1000' })
  @Min(1)
  @Max(1000)
  @JSONSchema({ description: 'How many checkpoints, newest first, 1 to 1000 (default 100).' })
  limit?: number
}

export class InclusionQuery {
  @ChainNumber('The position of the entry, from 1.')
  position: number

  @ChainNumber("The size of the chain the proof reaches: a checkpoint's size (default: the chain's size now).", { optional: true })
  size?: number
}

export class ConsistencyQuery {
  @ChainNumber("The size of the earlier checkpoint (0: the empty chain).", { min: 0 })
  from: number

  @ChainNumber("The size of the later checkpoint (default: the chain's size now).", { optional: true })
  to?: number
}
