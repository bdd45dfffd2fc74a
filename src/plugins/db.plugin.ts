import fp from 'fastify-plugin'
import { Database } from '../db/database'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

/** Makes the database reachable from every route as `app.db`, and closes it with the app. */
export default fp<{ database: Database }>(
  async (app, { database }) => {
    app.decorate('db', database)
    app.addHook('onClose', () => database.close())
  },
  { name: 'db' },
)
