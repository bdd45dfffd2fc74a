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

t.test('a quote that is not in the text: the closest passage, and where the two part', async (t) => {
  const text = 'Belarus freed 14 prisoners on Saturday. Among them was Ihar Karnei, a former journalist for Radio Liberty.'
  const locator = new QuoteLocator(text)
  const typo = locator.nearest('Among them was Ihar Karnie, a former journalist')!
  t.equal(text.slice(typo.start, typo.end), typo.passage)
  t.equal(typo.passage, 'Among them was Ihar Karnei, a former journalist', 'the passage in whole words')
  t.equal(typo.readFrom, 'start')
  t.equal(typo.agreed, 'Among them was Ihar', 'they agree up to the word of the slip, read from a whole word')
  t.equal(typo.quoteHas, 'Karnie, a former journalist')
  t.equal(typo.sourceHas, 'Karnei, a former journalist')

  const early = locator.nearest('Amung them was Ihar Karnei, a former journalist')!
  t.match(early.passage, /^Among them was Ihar Karnei/, 'a slip near the start is found from the end')
  t.equal(early.readFrom, 'end')
  t.equal(early.agreed, 'them was Ihar Karnei, a')
  t.equal(early.quoteHas, 'Amung')
  t.equal(early.sourceHas, 'Among')

  const cut = new QuoteLocator('Fourteen political prisoners were freed.').nearest('cal prisoners were freed today')!
  t.equal(cut.passage, 'political prisoners were freed.', 'a passage found inside a word begins with the whole word')

  t.equal(locator.nearest('Nothing of the sort was ever said here'), null, 'nothing close: no passage')
})
