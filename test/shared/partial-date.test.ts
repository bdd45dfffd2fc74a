import t from 'tap'
import { suggestedDate } from '../../src/shared/partial-date'

t.test('a date written another way is suggested as YYYY-MM-DD when it can mean only one day', async (t) => {
  const cases: [string, string | undefined][] = [
    ['21.06.2025', '2025-06-21'],
    ['1.6.2025', '2025-06-01'],
    ['21-06-2025', '2025-06-21'],
    ['21/06/2025', '2025-06-21'],
    ['06/21/2025', '2025-06-21'],
    ['05/05/2025', '2025-05-05'],
    ['06/07/2025', undefined], // 6 July or June 7: no guess
    ['2025/06/21', '2025-06-21'],
    ['06.2025', '2025-06'],
    ['21 June 2025', '2025-06-21'],
    ['21st Jun. 2025', '2025-06-21'],
    ['June 21, 2025', '2025-06-21'],
    ['Sept 2025', '2025-09'],
    ['31.02.2025', undefined], // no such day
    ['21 Juin 2025', undefined],
    ['yesterday', undefined],
  ]
  for (const [text, expected] of cases) t.equal(suggestedDate(text), expected, text)
})
