import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'

/**
 * The pages the capture tests fetch, written for them (not copied from the web), served by a local HTTP server
 * the test starts: an article among navigation and comments in Belarusian (UTF-8, also gzipped) and in Russian
 * (windows-1251, named only by the page's <meta http-equiv>, and UTF-8), redirects, a 404, a 500, a slow page, a
 * huge one, a small gzip that decompresses to far too much, a PDF and a plain text.
 */

const NAV = (items: string[]) => `<nav class="menu"><ul>${items.map((item) => `<li><a href="/${encodeURIComponent(item)}">${item}</a></li>`).join('')}</ul></nav>`

export const BELARUSIAN = {
  title: 'Чатырнаццаць палітвязняў вызвалены',
  menu: ['Галоўная', 'Надвор’е', 'Курсы валют', 'Гараскоп'],
  paragraphs: [
    'У суботу чатырнаццаць палітычных вязняў былі вызвалены з беларускіх калоній і вывезены ў Вільню.',
    'Сярод вызваленых Сяргей Ціханоўскі, які правёў за кратамі больш за пяць гадоў і не меў сувязі з сям’ёй.',
    'Пасля вызвалення ён выступіў перад журналістамі і падзякаваў усім, хто падтрымліваў палітвязняў усе гэтыя гады.',
  ],
  comment: 'Каментатар Янка: нарэшце добрыя навіны!',
}

export const RUSSIAN = {
  title: 'Освобождены четырнадцать политзаключённых',
  menu: ['Главная', 'Погода', 'Курсы валют', 'Гороскоп'],
  paragraphs: [
    'В субботу четырнадцать политических заключённых были освобождены из белорусских колоний и вывезены в Вильнюс.',
    'Среди освобождённых Сергей Тихановский, который провёл в заключении более пяти лет без связи с семьёй.',
    'После освобождения он выступил перед журналистами и поблагодарил всех, кто поддерживал политзаключённых.',
  ],
  comment: 'Комментатор Иван: наконец хорошие новости!',
}

type Article = typeof BELARUSIAN

/** A news page: the menu, then the article, then readers' comments and a footer. */
export function page(article: Article, lang: string, head = '<meta charset="utf-8">', paragraphs = article.paragraphs): string {
  return `<!doctype html><html lang="${lang}"><head>${head}<title>${article.title} | Прыклад</title></head><body>
${NAV(article.menu)}
<div class="sidebar"><h3>${article.menu[2]}</h3><p>USD 3,27 · EUR 3,51</p></div>
<main><article><h1>${article.title}</h1>
${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}
</article></main>
<section class="comments" id="comments"><h2>Comments</h2><div class="comment"><p>${article.comment}</p></div></section>
<footer><p>© 2025</p></footer></body></html>`
}

/** What the test may change between two captures of the same address. */
export const mutable = { paragraphs: BELARUSIAN.paragraphs }

export interface FixtureServer {
  /** The address of a path on this server. */
  url(path: string): string
  close(): Promise<void>
}

/** Starts the fixture server on `host` (an address the app under test is told it may fetch); `elsewhere` is where /to-elsewhere redirects. */
export async function startFixtureServer(host: string, elsewhere: string): Promise<FixtureServer> {
  // 2 MB of spaces gzip to about 2 kB: made once, not on each request (gzipping blocks this process, the app's too).
  const bomb = zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024, 32))
  const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
    '/be': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(BELARUSIAN, 'be', undefined, mutable.paragraphs)),
    '/be-gzip': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(zlib.gzipSync(page(BELARUSIAN, 'be'))),
    '/ru-1251': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(Buffer.from(new Uint8Array(encode1251(page(RUSSIAN, 'ru', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'))))),
    '/ru-utf8': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(page(RUSSIAN, 'ru', '')),
    '/plain': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`${BELARUSIAN.paragraphs.join('\r\n')}\r\n`),
    '/moved': (_req, res) => res.writeHead(302, { location: '/moved-again' }).end(),
    '/moved-again': (_req, res) => res.writeHead(301, { location: `${base}/be` }).end(),
    '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
    '/to-elsewhere': (_req, res) => res.writeHead(302, { location: elsewhere }).end(),
    '/to-ftp': (_req, res) => res.writeHead(302, { location: 'ftp://example.org/file.txt' }).end(),
    '/missing': (_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>'),
    '/broken': (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Oops</h1>'),
    '/slow': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.write('<html><body><p>Starting')
      const timer = setTimeout(() => res.end('…done</p></body></html>'), 20_000)
      res.on('close', () => clearTimeout(timer))
    },
    '/huge': (_req, res) => {
      // No Content-Length: the limit must hold while reading, not only on what the server declares.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      const chunk = `<p>${'Вялікі тэкст. '.repeat(1000)}</p>`
      let sent = 0
      const more = () => {
        while (sent < 200 && res.write(chunk)) sent += 1
        if (sent >= 200) res.end()
      }
      res.on('drain', more)
      more()
    },
    '/bomb': (_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb),
    '/paper.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7 not really'),
  }
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname]
    if (route) route(req, res)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const base = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    url: (path) => `${base}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** windows-1251, for the Cyrillic and ASCII the Russian page holds (Node encodes no legacy charset itself). */
function encode1251(text: string): number[] {
  const bytes: number[] = []
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (code < 0x80) bytes.push(code)
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0)
    else if (code === 0x401) bytes.push(0xa8)
    else if (code === 0x451) bytes.push(0xb8)
    else if (code === 0xa9) bytes.push(0xa9)
    else if (code === 0xb7) bytes.push(0xb7)
    else if (code === 0x2019) bytes.push(0x92)
    else throw new Error(`no windows-1251 byte for ${char}`)
  }
  return bytes
}
