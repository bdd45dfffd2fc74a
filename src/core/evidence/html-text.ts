import { convert } from 'html-to-text'
import { Parser } from 'htmlparser2'

/**
 * The readable text of an uploaded HTML page, which becomes a source's archived text (docs/design.md §2,
 * invariant 10: no request can hurt another).
 *
 * html-to-text builds the whole document tree and walks it recursively: about 1.4 kB of heap per element and
 * one stack frame or more per level, so a page of 230,000 tags ran the server out of its 128 MB heap and 3,000
 * nested ones overflowed the stack. A page is therefore first read by htmlparser2's streaming parser, which keeps
 * only the open tags and stops at the first bound crossed; only a page within both bounds is converted, exactly
 * as before (so the text of an ordinary article, and every archived hash, stays what it was).
 */

/**
 * Far more elements than an article page has (a long news page has 2,000 to 5,000), and few enough that the
 * conversion stays within tens of megabytes and a fraction of a second.
 */
export const MAX_HTML_ELEMENTS = 20_000
/** Far deeper than any page is laid out (rarely 40), and far from the ~2,000 levels that overflow the stack. */
export const MAX_HTML_DEPTH = 256

/** Stops the streaming read at the first bound crossed. */
class TooMuch extends Error {}

/**
 * Why the page cannot be converted within the bounds, in words a volunteer can act on; undefined when it can.
 * Also asked before a captured page is parsed into a DOM for Readability (src/core/capture/readable-text.ts).
 */
export function outOfBounds(html: string): string | undefined {
  let elements = 0
  let depth = 0
  const parser = new Parser({
    onopentagname() {
      elements += 1
      depth += 1
      if (elements > MAX_HTML_ELEMENTS || depth > MAX_HTML_DEPTH) throw new TooMuch()
    },
    onclosetag() {
      depth -= 1
    },
  })
  try {
    parser.end(html)
  } catch (error) {
    if (!(error instanceof TooMuch)) throw error
    return elements > MAX_HTML_ELEMENTS
      ? `has more than ${MAX_HTML_ELEMENTS.toLocaleString('en')} HTML elements, far more than an article page; save the article alone (or its text as a .txt file) and upload that`
      : `nests HTML elements more than ${MAX_HTML_DEPTH} levels deep, which no article page does; save the article alone (or its text as a .txt file) and upload that`
  }
  return undefined
}

const OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'nav', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
}

/**
 * The readable text of an HTML page: paragraphs and headings on lines of their own, no markup, links or images.
 * A page beyond the bounds is refused with `refuse(reason)`, before any work that grows with it.
 */
export function htmlToText(html: string, refuse: (reason: string) => Error): string {
  const reason = outOfBounds(html)
  if (reason) throw refuse(reason)
  let text: string
  try {
    text = convert(html, OPTIONS)
  } catch (error) {
    // Within the bounds this is not expected; should the converter still overflow, the volunteer hears why in plain words.
    if (error instanceof RangeError) throw refuse('is laid out too intricately to be read; save the article alone (or its text as a .txt file) and upload that')
    throw error
  }
  return text.replace(/[ \t]+\n/g, '\n').trim()
}
