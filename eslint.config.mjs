// `npm run lint`: ESLint's and typescript-eslint's recommended rules on every TypeScript file of the
// repository (src, test, migrations, bench) and on this file.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

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
)
