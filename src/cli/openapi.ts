import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Tags, stringify } from 'yaml'
import { buildApp } from '../app'
import { Database } from '../db/database'

/** openapi.yaml at the repository root, whether this runs from src/ or dist/src/. */
export const OPENAPI_FILE = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../openapi.yaml' : '../../openapi.yaml')

/**
 * YAML 1.1's own tags, with dates read as dates: the `yaml` package shares its tag objects across the process, and
 * one of its users (tap-yaml, in the tests) turns dates off for everyone; this document is then written the same.
 */
export const YAML_1_1_TAGS = (tags: Tags): Tags =>
  tags.map((tag) => (typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:timestamp' ? { ...tag, default: true } : tag))

/**
 * The OpenAPI document exactly as the app generates it from its routes, as YAML that every reader reads as
 * /openapi.json: written for YAML 1.1, whose readers (PyYAML, many code generators) take an unquoted `NO` (Norway)
 * for false and `2025-06-21` for a date, so such strings are quoted; what 1.1 quotes, YAML 1.2 reads the same.
 */
export async function generateOpenApiYaml(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-openapi-'))
  const database = await Database.open(path.join(dir, 'openapi.sqlite'))
  const app = await buildApp({ database })
  try {
    await app.ready()
    return stringify(app.swagger(), { version: '1.1', customTags: YAML_1_1_TAGS })
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const mode = process.argv[2]
  generateOpenApiYaml()
    .then((yaml) => {
      if (mode === 'write') {
        writeFileSync(OPENAPI_FILE, yaml)
        console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`)
      } else if (mode === 'check') {
        if (readFileSync(OPENAPI_FILE, 'utf8') !== yaml) {
          console.error('openapi.yaml differs from what the routes generate: run `npm run openapi:write` and commit it.')
          process.exit(1)
        }
        console.log('openapi.yaml matches the routes.')
      } else {
        console.error('usage: openapi write|check')
        process.exit(2)
      }
    })
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
