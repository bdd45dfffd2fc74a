import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import ts from 'typescript'

/**
 * docs/design.md §2, invariant 8: src/core/access is the one door for what is public. Every decision of who sees
 * what (a record's or event's state, withheld values, private sources, what waits for review) is a named function
 * or Clause there; this test reads every other .ts file under src/ and names each file:line that decides it again.
 *
 * Two kinds of code decide:
 * - SQL: a string or template literal that reads as SQL (an upper-case SELECT, WHERE, JOIN, AND…: a piece of a condition counts)
 *   and compares one of the visibility columns (review_status, deleted_at, private, withheld, a proposal's
 *   status = 'pending') in a condition: `col =`, `col <>`, `col IS`, `col IN`, `= col`, `NOT col`. Naming a column
 *   in a select list (`p.withheld,`) is reading it, not deciding on it. An UPDATE's SET list is the writer storing a
 *   state, not a read deciding on one: it is cut out before the search (up to its WHERE), so `SET deleted_at = ?` is
 *   allowed and `WHERE deleted_at IS NULL` is not.
 * - TypeORM: a condition object setting `withheld` or `private` to true or false, outside a write (insert, create,
 *   save, update: the writer's).
 * - JS: a comparison (=== !== == !=) of a `reviewStatus`, a `deletedAt` or a state (a variable, property or call
 *   named so: `stateOf(record)`) with a string or null, of a `status` with 'pending', or a choice between 'published' and 'pending' (the state a submission starts
 *   in): each re-derives "is public" or "waits for review".
 */

const SRC = join(__dirname, '../../../src')
const DOOR = join(SRC, 'core/access')

const VISIBILITY_COLUMN = String.raw`(?:\b\w+\.)?\b(?:review_status|deleted_at|private|withheld)\b`
const SQL_CONDITIONS = [
  new RegExp(String.raw`${VISIBILITY_COLUMN}\s*(?:=|<>|!=|\bIS\b|\bNOT\s+IN\b|\bIN\b)`),
  new RegExp(String.raw`(?:=|<>|!=|\bNOT)\s*${VISIBILITY_COLUMN}`),
  /\bstatus\s*(?:=|<>|!=)\s*'pending'/,
]
const LOOKS_LIKE_SQL = /\b(?:SELECT|UPDATE|DELETE|WHERE|JOIN|FROM|CASE WHEN|AND|OR|NOT)\b/
/** An UPDATE's assignments, up to its WHERE (or the end): the writer's, allowed. */
const SET_LIST = /\bSET\b[\s\S]*?(?=\bWHERE\b|$)/g

/** What holds a record's or event's state: its columns, or a state derived from them (`stateOf(record)`). */
const isStateName = (name: string) => name === 'reviewStatus' || name === 'deletedAt' || /state/i.test(name)
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
])

/** A TypeORM condition on these flags (`findBy(ClaimEntity, { withheld: false })`) decides as SQL does. */
const HIDDEN_FLAGS = new Set(['withheld', 'private'])
const WRITES = new Set(['insert', 'create', 'save', 'update', 'upsert'])
const isBooleanLiteral = (node: ts.Expression) => node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword
/** Whether a node is an argument of a write (`manager.insert(…, { withheld: false })`): the writer's, allowed. */
function inWrite(node: ts.Node): boolean {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isCallExpression(at)) {
      const name = nameOf(at.expression)
      if (name !== null && WRITES.has(name)) return true
    }
  }
  return false
}

export interface Finding {
  line: number
  why: string
}

const unwrap = (node: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(node) ? unwrap(node.expression) : node)
const nameOf = (node: ts.Expression): string | null => {
  const inner = unwrap(node)
  if (ts.isIdentifier(inner)) return inner.text
  if (ts.isPropertyAccessExpression(inner)) return inner.name.text
  if (ts.isCallExpression(inner)) return nameOf(inner.expression)
  return null
}
const stringOf = (node: ts.Expression): string | null => {
  const inner = unwrap(node)
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) ? inner.text : null
}
const isNull = (node: ts.Expression) => unwrap(node).kind === ts.SyntaxKind.NullKeyword

/** The text of a string or template literal, each `${…}` read as a placeholder. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `\${…}${span.literal.text}`).join('')
  return null
}

/** Why a comparison decides a state again, or null. */
function comparisonWhy(left: ts.Expression, right: ts.Expression): string | null {
  for (const [subject, other] of [
    [left, right],
    [right, left],
  ]) {
    const name = nameOf(subject)
    if (name !== null && isStateName(name) && (stringOf(other) !== null || isNull(other))) return `compares ${name} with ${other.getText()}`
    if (name === 'status' && stringOf(other) === 'pending') return "compares status with 'pending'"
  }
  return null
}

/** Where a file decides visibility outside the door. */
export function findDecisions(fileName: string, source: string): Finding[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true)
  const findings: Finding[] = []
  const at = (node: ts.Node, why: string) => findings.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, why })
  const visit = (node: ts.Node): void => {
    const text = literalText(node)
    if (text !== null) {
      if (LOOKS_LIKE_SQL.test(text)) {
        const read = text.replace(SET_LIST, '')
        const match = SQL_CONDITIONS.map((condition) => read.match(condition)).find((found) => found !== null)
        if (match) at(node, `SQL condition "${match[0].trim()}"`)
      }
    }
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) {
      const why = comparisonWhy(node.left, node.right)
      if (why) at(node, why)
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && HIDDEN_FLAGS.has(node.name.text) && isBooleanLiteral(node.initializer) && !inWrite(node)) {
      at(node, `condition { ${node.getText()} }`)
    }
    if (ts.isConditionalExpression(node)) {
      const branches = new Set([stringOf(node.whenTrue), stringOf(node.whenFalse)])
      if (branches.has('published') && branches.has('pending')) at(node, "chooses between 'published' and 'pending'")
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return findings
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return path === DOOR ? [] : tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

t.test('the scanner recognises a decision, and a write or a plain read as none', async (t) => {
  // Each of these was on main before the door was the only one (issue 24).
  const decides = {
    where: "db.all(`SELECT id FROM events e WHERE e.review_status = 'pending' AND e.deleted_at IS NULL`)",
    and: "db.all(`SELECT id FROM sources WHERE id IN (${marks}) ${editor ? '' : 'AND private = FALSE'}`)",
    withheld: "db.all('SELECT c.quote_start FROM citations c JOIN claims k ON k.id = c.claim_id WHERE k.withheld = TRUE')",
    caseWhen: "const COLUMNS = `p.withheld, CASE WHEN p.withheld IS NULL THEN NULL ELSE p.editor_document END`",
    proposals: "db.all(`SELECT id FROM proposals WHERE status = 'pending'`)",
    isPublic: "const isPublic = (event) => event.reviewStatus === 'published' && event.deletedAt === null",
    state: "const state = deletedAt === null ? reviewStatus : 'deleted'",
    derived: "return prisoner.version > 0 && stateOf(prisoner) === 'published'",
    pending: "if (proposal.status !== 'pending') throw new Error()",
    startsIn: "const reviewStatus = editor ? 'published' : 'pending'",
    typeorm: "manager.findBy(SourceEntity, { id: In(ids), private: true })",
    searched: "export const SEARCHED_NAMES = { field: 'name', withheld: false }",
  }
  for (const [name, code] of Object.entries(decides)) t.ok(findDecisions(`${name}.ts`, code).length > 0, `${name}: ${code}`)
  const none = {
    set: "manager.query('UPDATE prisoners SET deleted_at = ?, review_status = ? WHERE id = ?', [at, status, id])",
    setThenWhere: 'db.run(`UPDATE claims SET withheld = TRUE WHERE prisoner_id = ? AND ${clause.sql}`)',
    selected: 'db.all(`SELECT p.withheld, s.private, e.review_status AS "reviewStatus" FROM prisoners p`)',
    prose: "throw new ProblemError('conflict', 'Only editors add private sources: they alone will read it.')",
    webhooks: "if (v4.status === 'rejected') return",
    inserted: "manager.create(EventEntity, { deletedAt: null, reviewStatus })",
    insertedFlag: "manager.insert(SourceEntity, { id, private: false })",
    marked: "return { ...(isPrivate ? { private: true as const } : {}) }",
  }
  for (const [name, code] of Object.entries(none)) t.same(findDecisions(`${name}.ts`, code), [], `${name}: ${code}`)
})

t.test('no file outside src/core/access decides what is public', async (t) => {
  const files = tsFiles(SRC)
  t.ok(files.length > 50, 'it read the sources')
  const found = files.flatMap((path) =>
    findDecisions(path, readFileSync(path, 'utf8')).map(({ line, why }) => `src/${relative(SRC, path)}:${line}: ${why}`),
  )
  t.same(found, [], 'each decision goes through a named function or Clause of src/core/access (src/core/README.md says how to add one)')
})
