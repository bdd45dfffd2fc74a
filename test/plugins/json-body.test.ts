import t from 'tap'
import { buildTestApp } from '../helpers/test-app'

t.test('a body that is not JSON is told what is wrong, where, and how to fix it', async (t) => {
  const { editor } = await buildTestApp(t)
  const post = (body: string) => editor.post('/v1/sources').set('content-type', 'application/json').send(body)

  const pasted = await post('{"title": "An article", "kind": "news",\n "content": "First paragraph.\nSecond paragraph."}')
  t.equal(pasted.status, 400)
  t.equal(pasted.body.type, '/problems/malformed-json')
  t.match(pasted.body.detail, /a line break inside a text at line 2, column 30/)
  t.match(pasted.body.detail, /write a line break as \\n/)
  t.match(pasted.body.detail, /multipart\/form-data/, 'and that the form takes the text as it is')

  const comma = await post('{"title": "x", "kind": "news",}')
  t.match(comma.body.detail, /at line 1, column 31 \(near "kind": "news",}\): Expected double-quoted property name/)
  const short = await post('{"title": "x", ')
  t.match(short.body.detail, /ends too early/)
})
