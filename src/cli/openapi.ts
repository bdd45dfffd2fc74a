import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp } from '../app'
import { Database } from '../db/database'

/** openapi.yaml at the repository root, whether this runs from src/ or dist/src/. */
export const OPENAPI_FILE = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../openapi.yaml' : '../../openapi.yaml')

/** The OpenAPI document exactly as the app generates it from its routes. */
export async function generateOpenApiYaml(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-openapi-'))
  const database = await Database.open(path.join(dir, 'openapi.sqlite'))
  const app = await buildApp({ database })
  try {
    await app.ready()
    return app.swagger({ yaml: true })
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
