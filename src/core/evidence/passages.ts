import { SourceText } from './source-text'
import { foldQuote } from './quote-locator'

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
 * The sentences of `content` that hold every word of `words`, in the order of the text, at most `limit`.
 * Sentences are cut by Unicode's rules (Intl.Segmenter), so "U.S." or "Ms." do not end one in most texts.
 */
export function findPassages(content: string, words: string, limit: number, language = 'en'): Passage[] {
  const wanted = searchable(words).split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  if (wanted.length === 0) return []
  const text = new SourceText(content)
  const passages: Passage[] = []
  let offset = 0
  for (const { segment } of new Intl.Segmenter(language, { granularity: 'sentence' }).segment(content)) {
    const length = [...segment].length
    const sentence = searchable(segment)
    if (wanted.every((word) => sentence.includes(word))) {
      const leading = [...segment].length - [...segment.trimStart()].length
      const trimmed = segment.trim()
      const start = offset + leading
      passages.push({ start, end: start + [...trimmed].length, text: text.slice(start, start + [...trimmed].length) })
      if (passages.length >= limit) break
    }
    offset += length
  }
  return passages
}
