import t from 'tap'
import { SEED, buildTestApp } from '../../helpers/test-app'

t.test('a quote with a typo is answered with the closest passage of the source and where they part', async (t) => {
  const { editor } = await buildTestApp(t)
  const res = await editor.post('/v1/prisoners').send({
    name: { value: 'Ihar Karnei', citations: [{ sourceId: SEED.articleB, quote: 'Ihar Karnei, a former jurnalist for Radio Free Europe' }] },
  })
  t.equal(res.status, 422)
  t.equal(res.body.type, '/problems/quote-not-found')
  const [error] = res.body.errors
  t.equal(error.path, '/name/citations/0')
  t.match(error.message, /Closest passage: “Ihar Karnei, a former journalist for Radio Free Europe”/)
  t.match(error.message, /after “…Ihar Karnei, a former” the quote has “jurnalist for Radio Free…” where the source has “journalist for Radio Free…”/)
  t.notMatch(error.message, /"|characters \d/, 'no quotation marks escaped in JSON, no offsets')
})
