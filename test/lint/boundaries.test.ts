import t from 'tap'
import { ESLint } from 'eslint'
import path from 'node:path'

/**
 * The layer map of src/*\/README.md is enforced by eslint.config.mjs (`npm run lint`). Each rule is proved here to
 * fire on a forbidden import and to stay quiet on an allowed one, by linting a line of source as if it were a file
 * of the folder (the file need not exist).
 */
const root = path.resolve(__dirname, '../..')
// Only the boundary rule is looked at, so type information (slow to set up, and absent for a made-up file) is off.
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: path.join(root, 'eslint.config.mjs'),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
  },
})

async function boundaryFindings(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}'\nexport const y = x\n`, { filePath: path.join(root, file) })
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message)
}

// [file importing, specifier, allowed?]
const CASES: [string, string, boolean][] = [
  // A module imports core, db, shared, errors.ts and plugins, never another module nor a file of src/modules.
  ['src/modules/review/probe.ts', '../prisoners/prisoners.service', false],
  ['src/modules/review/probe.ts', '../response-schemas', false],
  ['src/modules/review/probe.ts', '../../modules/events/events.repository', false],
  ['src/modules/review/probe.ts', './review.dto', true],
  ['src/modules/review/probe.ts', '../../core/record/record-writer', true],
  ['src/modules/review/probe.ts', '../../shared/etag', true],
  ['src/modules/review/probe.ts', '../../plugins/auth.plugin', true],
  ['src/modules/review/probe.ts', '../events/events.repository', false],
  // No file of a module is excepted: the crossings issue 24 found moved to core (the events' reads, the record's write DTO).
  ['src/modules/review/review.service.ts', '../events/events.repository', false],
  ['src/modules/export/export.service.ts', '../events/events.repository', false],
  ['src/modules/claims/claims.service.ts', '../prisoners/prisoners.dto', false],
  ['src/modules/review/review.service.ts', '../../core/record/event-reads', true],
  // Core's folders import only those below them (src/core/README.md), and never modules or plugins.
  ['src/core/document/probe.ts', '../access/access', false],
  ['src/core/search/probe.ts', '../record/record-writer', false],
  ['src/core/search/probe.ts', '../document/fields', true],
  ['src/core/access/probe.ts', '../record/record-writer', false],
  ['src/core/access/probe.ts', '../evidence/evidence', false],
  ['src/core/access/probe.ts', '../document/fields', true],
  ['src/core/evidence/probe.ts', '../record/proposals', false],
  ['src/core/evidence/probe.ts', '../access/public-view', true],
  ['src/core/record/probe.ts', '../search/name-keys', true],
  ['src/core/record/probe.ts', '../feeds/record-feed', false],
  ['src/core/feeds/probe.ts', '../record/record-writer', false],
  ['src/core/feeds/probe.ts', '../access/public-view', true],
  ['src/core/linked-data/probe.ts', '../feeds/record-feed', false],
  ['src/core/linked-data/probe.ts', '../document/event-document', true],
  ['src/core/record/probe.ts', '../../modules/prisoners/prisoners.dto', false],
  ['src/core/record/probe.ts', '../../plugins/auth.plugin', false],
  ['src/core/record/probe.ts', '../../app', false],
  ['src/core/record/probe.ts', '../../db/database', true],
  ['src/core/record/probe.ts', '../../errors', true],
  // Shared imports only itself and errors.ts.
  ['src/shared/probe.ts', '../core/document/fields', false],
  ['src/shared/probe.ts', '../db/database', false],
  ['src/shared/probe.ts', '../errors', true],
  ['src/shared/probe.ts', './ids', true],
  // Plugins never import a route module; storage no layer above it.
  ['src/plugins/probe.ts', '../modules/keys/keys.dto', false],
  ['src/plugins/probe.ts', '../core/access/access', true],
  ['src/db/probe.ts', '../core/access/access', false],
  ['src/db/entities/probe.ts', '../../modules/keys/keys.dto', false],
  ['src/db/probe.ts', '../errors', true],
]

t.test('each folder imports only what its README allows, and ESLint says so', async (t) => {
  for (const [file, specifier, allowed] of CASES) {
    const findings = await boundaryFindings(file, specifier)
    if (allowed) t.same(findings, [], `${file} may import ${specifier}`)
    else t.equal(findings.length, 1, `${file} may not import ${specifier}: ${findings[0] ?? 'no finding'}`)
  }
})
