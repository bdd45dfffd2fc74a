// `npm run lint`: ESLint's and typescript-eslint's recommended rules on every TypeScript file of the
// repository (src, test, migrations, bench) and on this file; and the layer map of src/*/README.md (what each
// folder may import), so that a boundary holds without a reviewer (test/lint/boundaries.test.ts proves each fires).
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

/** Core's folders, each with those it may import (src/core/README.md): dependencies go one way, no cycles. */
const CORE_FOLDERS = {
  document: [],
  search: ['document', 'access'],
  access: ['document'],
  evidence: ['document', 'access'],
  record: ['document', 'access', 'evidence', 'search', 'history'],
  history: ['document', 'access'],
  'linked-data': ['document', 'access'],
  feeds: ['document', 'access'],
  statements: ['document', 'evidence'],
  capture: ['access', 'evidence'],
}

/** A folder's files may not import what matches any of `regexes` (matched against the import's specifier). */
function boundary(folder, message, regexes) {
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: regexes.map((regex) => ({ regex, message })) }] },
  }
}

const MODULE_RULE = 'A module imports no other module (nor a file of src/modules itself): move what they share to src/core or src/shared.'
/** A route module is thin and alone: what two modules share lives in core or shared (src/modules/README.md). */
const LAYERS = [
  boundary('modules', MODULE_RULE, ['^\\.\\./(?!\\.\\./)', '^(\\.\\./)+modules(/|$)']),
  ...Object.entries(CORE_FOLDERS).map(([folder, allowed]) =>
    boundary(`core/${folder}`, `core/${folder} may import only ${allowed.length ? allowed.map((name) => `core/${name}`).join(', ') + ', ' : ''}src/db, src/shared and src/errors.ts (src/core/README.md).`, [
      `^\\.\\./(?!(?:${[...allowed, '\\.\\.'].join('|')})/)`,
      '^\\.\\./\\.\\./(?!(?:db|shared)/|errors$)',
    ]),
  ),
  boundary('shared', 'src/shared imports only itself and src/errors.ts: it is what every layer may use.', ['^\\.\\./(?!errors$)']),
  boundary('plugins', 'A plugin never imports a route module (src/plugins/README.md).', ['^(\\.\\./)+modules(/|$)']),
  boundary('db', 'Storage imports no layer above it: core, plugins, modules (src/db/README.md).', ['^(\\.\\./)+(core|modules|plugins)(/|$)']),
]

export default defineConfig(
  // Build output, tap's files, databases; and generated code (e.g. openapi-typescript's types of openapi.yaml),
  // which is to be named *.generated.ts (or .generated.d.ts) so that it is not linted.
  globalIgnores(['dist/', 'coverage/', '.tap/', 'data/', 'bench/.data/', '**/*.generated.ts', '**/*.generated.d.ts']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // As tsc's noUnusedLocals/noUnusedParameters: a leading underscore says "left out on purpose"
      // (`const { content: _content, ...rest } = source`, a callback's unused first parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The few type-aware rules that catch a forgotten await: reads are asynchronous on both engines, and a
    // Promise where a row was meant is always truthy (`if (db.get(…))`). Only these, not the whole type-checked
    // set (800 findings, 10 s a run).
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'migrations/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // A test file's top-level t.test() calls are tap's to await.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
  ...LAYERS,
)
