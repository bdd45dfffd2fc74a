import { Readability } from '@mozilla/readability'
import { parseHTML } from 'linkedom'
import { htmlToText, outOfBounds } from '../evidence/html-text'

/**
 * The readable text of a captured page: the article, not the menus, comments and footers around it.
 *
 * Mozilla's Readability (Firefox's reader view) finds the article in a DOM; linkedom builds that DOM (jsdom needs
 * a newer Node than the one CI still smoke-tests). The article's HTML is then reduced to text as an uploaded page
 * is (`htmlToText`: a paragraph a line), so a captured and an uploaded copy of the same article read alike. When
 * Readability finds no article, the whole page is reduced that way. A page beyond the bounds of html-text.ts is
 * refused before any DOM is built (invariant 10).
 */

export interface ReadablePage {
  text: string
  /** The article's title, or the page's <title>; null when it has neither. */
  title: string | null
  /** The page's language as it declares it (<html lang>), when it does. */
  language: string | null
  /** Whether Readability found the article (false: the whole page's text). */
  article: boolean
}

export function readablePage(html: string, refuse: (reason: string) => Error): ReadablePage {
  const reason = outOfBounds(html)
  if (reason) throw refuse(reason)
  const { document } = parseHTML(html)
  const pageTitle = document.title?.trim() || null
  const declaredLanguage = document.documentElement?.getAttribute('lang')?.trim() || null
  let article: ReturnType<Readability['parse']>
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse()
  } catch {
    // linkedom is not a browser: should Readability trip on what it lacks, the page is read whole, as an upload is.
    article = null
  }
  const articleText = article?.content ? htmlToText(article.content, refuse) : ''
  const text = articleText || htmlToText(html, refuse)
  return { text, title: article?.title?.trim() || pageTitle, language: article?.lang?.trim() || declaredLanguage, article: articleText !== '' }
}

/** A plain text page: its text as served, line ends made \n. */
export function plainText(text: string): ReadablePage {
  return { text: text.replace(/\r\n?/g, '\n').trim(), title: null, language: null, article: false }
}
