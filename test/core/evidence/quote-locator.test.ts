import t from 'tap'
import { QuoteLocator } from '../../../src/core/evidence/quote-locator'
import { SourceText } from '../../../src/core/evidence/source-text'

const sliceCodePoints = (text: string, start: number, end: number) => new SourceText(text).slice(start, end)

const text = 'Lithuania’s Foreign Minister,\n  Kęstutis Budrys — wrote: “This is not the end.” 🕊 Then Ihar Karney.'

t.test('finds exact words and gives code-point offsets', async (t) => {
  const locator = new QuoteLocator(text)
  const at = locator.locate('Ihar Karney')
  t.ok(at)
  t.equal(sliceCodePoints(text, at!.start, at!.end), 'Ihar Karney', 'offsets count code points, past an emoji')
})

t.test('forgives only NFC, typographic quotes and dashes, and white space', async (t) => {
  const locator = new QuoteLocator(text)
  const cases: [string, string][] = [
    ["Lithuania's Foreign Minister, Kęstutis", 'Lithuania’s Foreign Minister,\n  Kęstutis'],
    ['Kęstutis Budrys - wrote: "This is not the end."', 'Kęstutis Budrys — wrote: “This is not the end.”'],
    ['Ke\u0328stutis', 'Kęstutis'],
    ['  Foreign   Minister, ', 'Foreign Minister,'],
  ]
  for (const [quote, original] of cases) {
    const at = locator.locate(quote)
    t.ok(at, `found: ${quote}`)
    t.equal(sliceCodePoints(text, at!.start, at!.end), original)
  }
  for (const quote of ['ihar karney', 'Ihar Karnei', 'Kestutis Budrys', 'Foreign Ministers', '', '   ']) {
    t.equal(locator.locate(quote), null, `not found: "${quote}"`)
  }
})

t.test('decomposed text in the source matches a composed quote', async (t) => {
  const nfd = 'Siarhiej Cichanoŭski'.normalize('NFD')
  const at = new QuoteLocator(`Name: ${nfd}.`).locate('Cichanoŭski')
  t.ok(at)
  t.equal(sliceCodePoints(`Name: ${nfd}.`, at!.start, at!.end).normalize('NFC'), 'Cichanoŭski')
})
