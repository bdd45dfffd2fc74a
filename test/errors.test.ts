import t from 'tap'
import { inWords } from '../src/errors'
t.test('a problem is placed in words a person reads', async (t) => {
  t.equal(inWords('/sentence/citations/0/quote'), 'sentence, citation 1, quote')
  t.equal(inWords('/name/alternatives/1/citations/0'), 'name, alternative 2, citation 1')
  t.equal(inWords('/releaseDate/value'), 'release date, value')
  t.equal(inWords('/name/citations'), 'name, citations')
  t.equal(inWords('nameQuote'), 'nameQuote', 'a form field stays as the form names it')
  t.equal(inWords(''), 'the body')
})
