import { FieldError, ProblemError, describeProblems } from '../../errors'
import { validateDto } from '../../shared/dto'
import { CreateSourceDto, SourceFormDto, SourceTextFormDto } from './sources.dto'

/**
 * A source sent through the form becomes the JSON body it stands for, checked by the same rules (CreateSourceDto);
 * each problem then names the form field to fix. The text is the pasted `content` or the uploaded `file`, not both.
 */
export function sourceFromForm(form: SourceTextFormDto | SourceFormDto): CreateSourceDto {
  const { file, ...fields } = form as SourceFormDto
  if (file !== undefined && fields.content !== undefined) {
    const message = 'give the text either pasted in content or as a file, not both'
    throw new ProblemError('validation-failed', `1 problem in the form: file: ${message}.`, [{ path: 'file', message }])
  }
  // A form's true and false are words; anything else stays a word, for the JSON rule to name.
  const flag = (word: string | undefined) => (word === 'true' ? true : word === 'false' ? false : word)
  const body = Object.fromEntries(
    Object.entries({ ...fields, content: fields.content ?? file, private: flag(fields.private), capture: flag(fields.capture) }).filter(
      ([, value]) => value !== undefined,
    ),
  )
  try {
    return validateDto(CreateSourceDto, body, 'body')
  } catch (error) {
    if (!(error instanceof ProblemError) || !error.errors) throw error
    const errors: FieldError[] = error.errors.map(({ path, message }) => {
      const field = path.split('/')[1] ?? ''
      return { path: field === 'content' && file !== undefined ? 'file' : field, message }
    })
    const detail = describeProblems(errors, 'the form')
    throw new ProblemError(error.slug, detail, errors)
  }
}
