import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'

// Code cites the design by section ("docs/design.md §3"). A clone holds docs/design.md and nothing else of the
// design, so a citation of another file, or of a section the file does not have, sends a reader nowhere.

const root = path.resolve(__dirname, '../..')
const design = readFileSync(path.join(root, 'docs/design.md'), 'utf8')
const sections = new Set([...design.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((match) => match[1]))

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|md|mjs)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
}

// Landed migrations are never edited, so what they say stays as it was written.
const cited = ['src', 'test', 'bench', 'docs']
  .flatMap(filesUnder)
  .concat('README.md')
  .filter((file) => file !== path.relative(root, __filename))

t.test('docs/design.md has the sections code cites it by', async (t) => {
  t.ok(sections.has('2') && sections.has('3.1'), `sections: ${[...sections].join(', ')}`)
})

t.test('every citation of the design points to docs/design.md and to a section it has', async (t) => {
  const wrong: string[] = []
  for (const file of cited) {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n')
    lines.forEach((line, index) => {
      const where = `${file}:${index + 1}`
      if (/(?<!docs\/)DESIGN\.md/.test(line)) wrong.push(`${where} cites DESIGN.md, which a clone does not have`)
      for (const match of line.matchAll(/docs\/design\.md §(\d+(?:\.\d+)?)/g)) {
        if (!sections.has(match[1])) wrong.push(`${where} cites §${match[1]}, which docs/design.md does not have`)
      }
    })
  }
  t.same(wrong, [], `${cited.length} files read`)
})
