import { ProblemError } from '../../errors'
import { SURROGATE, SourceText } from './source-text'
import { foldQuote } from './quote-locator'
import { Pattern } from './text-search'
import { WorkBudget } from './work-budget'

/** A sentence of a source, with its offsets in code points: a quote ready to paste. */
export interface Passage {
  start: number
  end: number
  text: string
}

// For finding sentences only (never for checking a quote): letter case and accents do not matter here.
const searchable = (text: string) =>
  foldQuote(text)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()

/**
 * How much text Intl.Segmenter is given at once. Its work grows with the square of what it is given (V8, Node 20:
 * 100,000 characters took 72 ms, 400,000 took 2.7 s, a source of a million 24 s); in pieces of this size a million
 * characters take about 15 ms.
 */
const PIECE = 10_000
const HIGH_SURROGATE = /[\uD800-\uDBFF]/

/**
 * The sentences of `content`, as Intl.Segmenter cuts the whole text, read piece by piece. A piece ends after a line break when it has one, where a sentence always ends (Unicode's rule
 * SB4); otherwise its last sentence, which may go on past the cut, is read again at the start of the next piece.
 * Only a "sentence" longer than a piece is cut where the piece ends.
 */
function* sentences(content: string, language: string): Generator<{ segment: string }> {
  const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' })
  for (let from = 0; from < content.length; ) {
    let to = Math.min(content.length, from + PIECE)
    let afterLineBreak = to === content.length
    for (let at = to - 1; !afterLineBreak && at > from; at--) {
      if (content.charCodeAt(at) === 10) {
        to = at + 1
        afterLineBreak = true
      }
    }
    // Never between the two halves of a character.
    if (!afterLineBreak && HIGH_SURROGATE.test(content[to - 1])) to -= 1
    const segments = [...segmenter.segment(content.slice(from, to))]
    const kept = afterLineBreak || segments.length === 1 ? segments : segments.slice(0, -1)
    yield* kept
    const last = kept[kept.length - 1]
    from += last.index + last.segment.length
  }
}

/**
 * The sentences of `content` that hold every word of `words`, in the order of the text, at most `limit`.
 * Sentences are cut by Unicode's rules (Intl.Segmenter), so "U.S." or "Ms." do not end one in most texts.
 * Each sentence read and each word looked for in it take its length from a budget (work-budget.ts): many words,
 * each found in most sentences of a long text, are refused rather than searched for seconds.
 */
export function findPassages(content: string, words: string, limit: number, language = 'en'): Passage[] {
  const wanted = [...new Set(searchable(words).split(/[^\p{L}\p{N}]+/u).filter(Boolean))].map((word) => new Pattern(word))
  if (wanted.length === 0) return []
  const budget = new WorkBudget()
  const text = new SourceText(content)
  const astral = SURROGATE.test(content)
  const points = (part: string) => (astral ? [...part].length : part.length)
  const passages: Passage[] = []
  let offset = 0
  for (const { segment } of sentences(content, language)) {
    if (!budget.take(segment.length)) throw tooManyWords(wanted.length)
    const sentence = searchable(segment)
    let holdsAll = true
    for (const word of wanted) {
      if (!budget.take(sentence.length)) throw tooManyWords(wanted.length)
      if (word.firstIn(sentence) < 0) {
        holdsAll = false
        break
      }
    }
    if (holdsAll) {
      const trimmed = segment.trim()
      const start = offset + points(segment) - points(segment.trimStart())
      passages.push({ start, end: start + points(trimmed), text: text.slice(start, start + points(trimmed)) })
      if (passages.length >= limit) break
    }
    offset += points(segment)
  }
  return passages
}

function tooManyWords(count: number): ProblemError {
  const message = `${count} words are more than can be looked for in a text this long in one request; look for fewer (a name, a date)`
  return new ProblemError('invalid-request', `text: ${message}.`, [{ path: 'text', message }])
}
