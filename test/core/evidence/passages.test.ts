import { readFileSync } from 'node:fs'
import t from 'tap'
import { QuoteLocator } from '../../../src/core/evidence/quote-locator'
import { findPassages } from '../../../src/core/evidence/passages'

const articleB = readFileSync(`${__dirname}/../../../seeds-data/sources/article-b.txt`, 'utf8')

t.test('the sentences that hold every word asked for, with offsets that give them back, ready to quote', async (t) => {
  const found = findPassages(articleB, 'karnei journalist', 10)
  t.equal(found.length, 1)
  t.match(found[0].text, /Ihar Karnei, a former journalist/)
  t.equal([...articleB].slice(found[0].start, found[0].end).join(''), found[0].text, 'the offsets are code points of the text')
  t.same(new QuoteLocator(articleB).locate(found[0].text), { start: found[0].start, end: found[0].end }, 'pasted as a quote, it is found where it was')

  t.ok(findPassages(articleB, 'LITHUANIA', 10).length >= 1, 'letter case does not matter for finding')
  t.same(findPassages(articleB, 'Lithuania', 1).length, 1, 'at most limit')
  t.same(findPassages(articleB, 'zebra', 10), [], 'nothing holds it')
  t.same(findPassages(articleB, '  ,, ', 10), [], 'no words')
  const astral = 'First 😀 sentence here. Second one names Halina.'
  const [halina] = findPassages(astral, 'halina', 5)
  t.equal([...astral].slice(halina.start, halina.end).join(''), 'Second one names Halina.', 'after a character outside the BMP')
})
