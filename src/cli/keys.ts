import { parseArgs } from 'node:util'
import { loadConfig } from '../config'
import { Database } from '../db/database'
import { ROLES, Role, article } from '../db/entities/api-key.entity'
import { KeysService } from '../core/access/api-keys'

const USAGE = `usage:
  npm run keys -- create --role admin|editor|volunteer --name "<who holds it>"
  npm run keys -- list
  npm run keys -- revoke <key id>`

/** Key management from the shell: how the first admin key is made, before anyone can call the API. */
async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  })
  const [command, id] = positionals
  const database = await Database.open(loadConfig().database)
  const keys = new KeysService(database)
  try {
    if (command === 'create') {
      const role = values.role as Role
      if (!ROLES.includes(role) || !values.name?.trim()) throw new Error(USAGE)
      const key = await keys.create(values.name.trim(), role, 'command line')
      console.log(`Made ${article(key.role)} ${key.role} key for ${key.name} (id ${key.id}). It is shown only now:\n\n  ${key.key}\n`)
    } else if (command === 'list') {
      for (const key of await keys.list()) {
        console.log([key.id, key.role.padEnd(9), key.prefix + '…', key.revokedAt ? `revoked ${key.revokedAt}` : 'active ', key.name].join('  '))
      }
    } else if (command === 'revoke' && id) {
      const key = await keys.revoke(id)
      console.log(`Revoked the key of ${key.name} (${key.id}).`)
    } else {
      throw new Error(USAGE)
    }
  } finally {
    await database.close()
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
