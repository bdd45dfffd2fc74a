import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, IsUrl, Length, Matches, MaxLength, Min, ValidateIf } from 'class-validator'
import { WITHHELD_REASONS } from '../../core/document/fields'
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
  @JSONSchema({ description: "The title of the article or document. When the source is captured (`capture`), it may be left out: the page's own title is taken." })
  // Needed unless the page is captured, whose title then stands in.
  @ValidateIf((source: CreateSourceDto) => source.capture !== true || source.title !== undefined)
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
      "Editors only: a source whose own words must not be public (a family's letter, a testimony). Only editors read it; " +
      'everyone else sees, on the values it supports, only that a private source supports them. It cannot be made public later.',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'private must be true or false' })
  private?: boolean

  @JSONSchema({
    description:
      'The archived text, whole. Quotes citing this source are checked against it, and its SHA-256 is kept. ' +
      'Leave it out for a source you cannot archive: its citations then carry no offsets.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1_000_000)
  content?: string

  @JSONSchema({
    description:
      'true: the registry fetches `url` now and archives what it serves: the page, its headers, status and time as a WARC ' +
      'file (GET /v1/sources/{id}/capture.warc), and its readable text (the article, without menus and comments) as the ' +
      'archived text quotes are checked against. Leave `content` out; `title`, `language` and `retrievedAt`, when left ' +
      'out, are taken from the page. Only public http(s) addresses of web pages or texts are captured.',
    default: false,
  })
  @IsOptional()
  @IsBoolean({ message: 'capture must be true or false' })
  capture?: boolean
}


const formText = (description: string, example: string, extra: Record<string, unknown> = {}) => JSONSchema({ description, example, ...extra })

/**
 * The form of POST /v1/sources (multipart/form-data or x-www-form-urlencoded): the fields of the JSON body, each
 * a text, plus `file`. Here only their form is checked (texts, no unknown field); the form then becomes a
 * CreateSourceDto and goes through its rules (see sources.form.ts). An empty field is not given.
 */
@JSONSchema({ required: ['kind'] })
export class SourceTextFormDto {
  @formText('The title of the article or document, as it is published. Needed unless you capture the page (below): its own title is then taken.', 'Belarus frees opposition figure and 13 others')
  @IsOptional()
  @IsString()
  title?: string

  @formText('Who published it: the newspaper, site, organisation or court.', 'Example News')
  @IsOptional()
  @IsString()
  publisher?: string

  @formText('Its web address, starting with http:// or https://. Leave it empty for a printed document.', 'https://example.org/belarus-release')
  @IsOptional()
  @IsString()
  url?: string

  @formText(
    'true to add the source by its address alone: the registry fetches the page at url now, keeps it as it was served ' +
      '(a WARC file auditors download) and archives its article\'s text for quotes. Leave the text and file empty.',
    'false',
    { enum: ['false', 'true'] },
  )
  @IsOptional()
  @IsString()
  capture?: string

  @formText('When it was published: a year (2025), a month (2025-06) or a day (2025-06-21).', '2025-06-21')
  @IsOptional()
  @IsString()
  publishedAt?: string

  @formText('When you copied its text, written the same way: 2025, 2025-06 or 2025-06-22.', '2025-06-22')
  @IsOptional()
  @IsString()
  retrievedAt?: string

  @formText('The language of its text, as a short code: en for English, be for Belarusian, ru for Russian.', 'en')
  @IsOptional()
  @IsString()
  language?: string

  @formText('What kind of source it is: news, an NGO report, an official statement, a court document, a social media post, or other.', 'news', {
    enum: [...SOURCE_KINDS],
  })
  @IsOptional()
  @IsString()
  kind?: string

  @formText('Anything an auditor should know about this source, such as why its text is not archived.', 'Copied from the print edition.')
  @IsOptional()
  @IsString()
  note?: string

  @formText(
    "Editors only: true for a source whose words must not be public (a family's letter, a testimony); only editors will read it.",
    'false',
    { enum: ['false', 'true'] },
  )
  @IsOptional()
  @IsString()
  private?: string

  @formText(
    'The whole text of the article, pasted as it is (no escaping), line breaks included; kept as sent, and quotes ' +
      'are checked against it.',
    'Fourteen political prisoners were freed on Saturday.\n\nThey were taken to Vilnius.',
    // Swagger UI shows it as a box of several lines (see multilineFields in swagger.plugin.ts).
    { format: 'multiline' },
  )
  @IsOptional()
  @IsString()
  content?: string
}

/** The multipart form of POST /v1/sources: the urlencoded one, or its text uploaded as a file (not both: sources.form.ts). */
@JSONSchema({ required: ['kind'], not: { required: ['content', 'file'], properties: { content: { minLength: 1 } } } })
export class SourceFormDto extends SourceTextFormDto {
  @formText(
    'Instead of pasting the text: the article saved as a .txt file (UTF-8) or as an .html page, of which only the ' +
      'readable text is kept, one paragraph a line.',
    'article.html',
    { type: 'string', format: 'binary' },
  )
  @IsOptional()
  @IsString()
  file?: string
}


export class ListSourcesQuery {
  @PageLimit(200, 50, 'Sources')
  limit?: number

  @PageCursor()
  cursor?: string
}

/** The query of GET /v1/sources/{id}/passages. */
export class PassagesQuery {
  @JSONSchema({ description: 'The words to look for, in any order and letter case, e.g. Kellogg visit; at least one letter or digit, in any script.', example: 'Kellogg visit' })
  @IsString()
  @Length(1, 200)
  @Matches(/[\p{L}\p{N}]/u, { message: 'text must hold at least one letter or digit' })
  text: string

  @PageLimit(50, 10, 'Passages')
  limit?: number
}

/** The body of POST /v1/sources/{id}/redactions: a span of the archived text to leave out of its public rendition. */
@JSONSchema({ example: { start: 1234, end: 1245, reason: 'family-request', comment: 'The name withheld on his record, at his family\'s request.' } })
export class CreateRedactionDto {
  @IsInt()
  @Min(0)
  start: number

  @IsInt()
  @Min(1)
  end: number

  @IsIn(WITHHELD_REASONS)
  reason: string

  @IsString()
  @Length(1, 2000)
  comment: string
}

/** The path of one redaction. */
export class RedactionParams {
  @IsUUID('all', { message: 'id must be a UUID' })
  id: string

  @IsUUID('all', { message: 'redactionId must be a UUID' })
  redactionId: string
}
