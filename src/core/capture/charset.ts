/**
 * The text of a captured page, decoded as its server and the page itself say (the HTML standard's order, in
 * short): a byte order mark; else the charset of the Content-Type header; else, for a page, the `<meta charset>`
 * or `<meta http-equiv="Content-Type" content="…; charset=…">` in its first 1024 bytes; else UTF-8. Labels are
 * those of the Encoding standard, as TextDecoder knows them (windows-1251, koi8-r, iso-8859-5 …); an unknown one
 * is read as UTF-8, undecodable bytes as U+FFFD.
 */

const CHARSET_PARAM = /charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i

/** The encoding label of a page; `utf-8` when nothing names one. */
export function charsetOf(body: Buffer, contentType: string | null, isHtml: boolean): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8'
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be'
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le'
  const declared = contentType?.match(CHARSET_PARAM)?.[1]
  if (declared && known(declared)) return declared.toLowerCase()
  if (isHtml) {
    const meta = body.subarray(0, 1024).toString('latin1').match(META_CHARSET)?.[1]
    // A page that says it is UTF-16 in ASCII bytes is not: the standard reads it as UTF-8.
    if (meta && known(meta)) return /^utf-?16/i.test(meta) ? 'utf-8' : meta.toLowerCase()
  }
  return 'utf-8'
}

function known(label: string): boolean {
  try {
    new TextDecoder(label)
    return true
  } catch {
    return false
  }
}

export function decodePage(body: Buffer, contentType: string | null, isHtml: boolean): { text: string; charset: string } {
  const charset = charsetOf(body, contentType, isHtml)
  // TextDecoder drops the byte order mark of its own encoding.
  return { text: new TextDecoder(charset).decode(body), charset }
}
