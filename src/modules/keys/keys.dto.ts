import { IsIn, IsString, Length } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { ROLES } from '../../db/entities/api-key.entity'

@JSONSchema({ example: { name: 'Ona Volunteer', role: 'volunteer' } })
export class CreateKeyDto {
  @JSONSchema({ description: 'Who will hold the key. It is recorded as the actor of every change the key makes.' })
  @IsString()
  @Length(1, 200)
  name: string

  @JSONSchema({ description: 'volunteer: add records and sources, propose changes. editor: also review, edit, delete and restore. admin: also manage keys.' })
  @IsIn(ROLES)
  role: string
}

