import { IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator'
import { JSONSchema } from 'class-validator-jsonschema'
import { PageCursor, PageLimit } from '../../shared/paging.dto'
import { SOURCE_KINDS } from '../../db/entities/source.entity'
import { IsPartialDate } from '../../shared/partial-date'

/** The body of POST /v1/sources. */
@JSONSchema({
  example: {
    title: 'Belarus frees opposition figure and 13 others',
    publisher: 'Example News',
    url: 'https://example.org/belarus-release',
    publishedAt: '2025-06-21',
    retrievedAt: '2025-06-22',
    language: 'en',
    kind: 'news',
    content: 'Fourteen political prisoners were freed on Saturday and taken to Vilnius.',
  },
})
export class CreateSourceDto {
  @IsString()
  @Length(1, 500)
  title: string

  @IsOptional()
  @IsString()
  @Length(1, 200)
  publisher?: string

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string

  @JSONSchema({ description: 'When the source was published, as precisely as known.' })
  @IsOptional()
  @IsPartialDate()
  publishedAt?: string

  @JSONSchema({ description: 'When the archived text was taken from the source.' })
  @IsOptional()
  @IsPartialDate()
  retrievedAt?: string

  @JSONSchema({ description: 'BCP 47 language tag of the text, e.g. en, be, ru.' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en or be-Latn' })
  language?: string

  @IsIn(SOURCE_KINDS)
  kind: string

  @JSONSchema({ description: 'What an auditor should know about this source, e.g. why its text is not archived.' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string

  @JSONSchema({
    description:
      'The archived text, whole. Quotes citing this source are checked against it, and its SHA-256 is kept. ' +
      'Leave it out for a source you cannot archive: its citations then carry no offsets.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1_000_000)
  content?: string
}


export class ListSourcesQuery {
  @PageLimit(200, 50, 'Sources')
  limit?: number

  @PageCursor()
  cursor?: string
}

/** The query of GET /v1/sources/{id}/passages. */
export class PassagesQuery {
  @JSONSchema({ description: 'The words to look for, in any order and letter case, e.g. Karnei journalist.', example: 'Karnei journalist' })
  @IsString()
  @Length(1, 200)
  @Matches(/[\p{L}\p{N}]/u, { message: 'text must hold at least one letter or digit' })
  text: string

  @PageLimit(50, 10, 'Passages')
  limit?: number
}
