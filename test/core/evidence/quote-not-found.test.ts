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
  t.match(error.message, /Closest passage \(characters \d+ to \d+\): "Ihar Karnei, a former journalist for Radio Free Europ/)
  t.match(error.message, /after "…Ihar Karnei, a former j" the quote has "urnalist for Radio Free …" where the source has "ournalist for Radio Free…"/)
})
