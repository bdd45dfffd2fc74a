import t from 'tap'
import { ProblemError } from '../../../src/errors'
import { inFormFields } from '../../../src/modules/prisoners/prisoners.form'
import { buildTestApp } from '../../helpers/test-app'

/**
 * A refusal of the JSON write is told in the form's fields by what the error says of itself (its path, the field
 * its message names, its typed reason), never by the words of its message: rewording a message in core or in a
 * DTO cannot move a form's problem to another field.
 */
const inForm = (errors: ProblemError['errors']) => (inFormFields(new ProblemError('validation-failed', 'refused', errors)) as ProblemError).errors

t.test('the form follows the typed reason and subject, whatever the wording', async (t) => {
  t.same(inForm([{ path: '/name/citations', message: 'reworded', reason: 'uncited' }]), [
    { path: 'nameQuote', message: 'name has a value but no quote: paste the words of the source that support it into nameQuote' },
  ])
  t.same(inForm([{ path: '/name/citations', message: 'name has a value but no citation' }]), [{ path: 'nameQuote', message: 'name has a value but no citation' }], 'no reason, no rewording')
  t.same(inForm([{ path: '/status/citations/0', message: 'reworded', reason: 'unknown-source' }]), [{ path: 'sourceId', message: 'reworded' }])
  t.same(inForm([{ path: '/status/citations/0', message: 'source x does not exist' }]), [{ path: 'statusQuote', message: 'source x does not exist' }], 'the quote’s own problem')
  t.same(inForm([{ path: '/status/citations/0/quote', message: 'quote must be a string', subject: 'quote' }]), [{ path: 'statusQuote', message: 'statusQuote must be a string' }])
  t.same(inForm([{ path: '/status/citations/0/quote', message: 'quote must be a string' }]), [{ path: 'statusQuote', message: 'quote must be a string' }])
  t.same(inForm([{ path: '/destination/value/place', message: 'place is too long', subject: 'place' }]), [{ path: 'destinationPlace', message: 'destinationPlace is too long' }])
  t.same(inForm([{ path: '/sentence/value', message: 'value must be an object', subject: 'value' }]), [{ path: 'sentenceText', message: 'sentenceText must be an object' }])
})

t.test('an answer names path and message only: the typed parts stay inside the app', async (t) => {
  const app = await buildTestApp(t)
  const refused = await app.volunteer
    .post('/v1/prisoners')
    .send({ name: { value: 'Ihar Losik', citations: [{ sourceId: '0190a0a0-0000-7000-8000-000000000000', quote: 'Ihar Losik' }] }, status: { value: 'released', citations: [] } })
  t.equal(refused.status, 422)
  t.ok(refused.body.errors.length >= 2, JSON.stringify(refused.body.errors))
  t.ok(
    refused.body.errors.every((error: object) => Object.keys(error).sort().join() === 'message,path'),
    'no reason nor subject in the answer',
  )
})
