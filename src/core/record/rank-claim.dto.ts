import { IsIn, IsString, IsUUID, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { CLAIM_RANKS } from '../../db/entities/claim.entity'

/** An editor's ranking of one claim of a field (a record's or an event's). */
@JSONSchema({ example: { claimId: '00000000-0000-4000-8000-000000000000', rank: 'preferred', reason: 'Viasna and the passport spelling agree.' } })
export class RankClaimDto {
  @IsUUID('all', { message: 'claimId must be the id of one of the claims of this field' })
  claimId: string

  @JSONSchema({
    description:
      'preferred: the field takes this value (the previous preferred claim becomes an alternative). normal: an alternative. ' +
      'deprecated: out of default reads, kept for history.',
  })
  @IsIn(CLAIM_RANKS)
  rank: string

  @JSONSchema({ description: 'Why: kept on the claim and in the history. Required: ranking is an editorial decision.' })
  @IsString()
  @Length(1, 1000)
  reason: string
}
