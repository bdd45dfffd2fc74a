import { Client } from 'pg'

/**
 * One connection of its own for a piece of work outside the app's pools (creating or dropping a database, a
 * restore check, a copy), closed whatever happens.
 */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>, applicationName = 'registry'): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000, application_name: applicationName })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}
