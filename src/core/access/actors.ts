import { createHmac } from 'node:crypto'
import type { Reads } from '../../db/read-store'
import { Caller, hasRole, Identity } from './access'

/**
 * Who did something, and how each caller is shown it (docs/design.md §2, invariant 8: volunteers' and editors'
 * names are never public). The registry documents people persecuted by a state that also prosecutes those who
 * help them: a key's name is the most dangerous thing it could publish. So:
 *
 * - editors and admins (who review, and answer for the registry) see names;
 * - a caller sees its own name on what it did itself (it knows it already, and needs to find its own work);
 * - everyone else, anonymous or another volunteer, sees a role and a pseudonym (`volunteer 7f3a9c`): the first
 *   hex digits of an HMAC of the key's id under a server secret, stable for one key, not reversible to the key or
 *   its name without the secret, and not the same for two keys that share a name.
 *
 * Every answer that names an actor (history, change feeds JSON and Atom, events, sources, citations, proposals,
 * submissions) shows it through `actorsShownTo`; nothing else decides.
 */

/** Who did something, as stored beside what they did: the key's name, its id and its role at the time. */
export interface Actor {
  name: string
  /** The API key's id; null for the seed, and for changes made before key ids were kept and whose name no key has alone. */
  key: string | null
  /** The key's role at the time ('seed' for the seed); null when not known. */
  role: string | null
}

/** The registry's own loading of its first sources and records: not a person, shown as is to everyone. */
export const SEED_ACTOR: Actor = { name: 'seed', key: null, role: 'seed' }

/** The seed when it changes what exists (an editor, to read and change whole records): no key, no person. */
export const SEED_CALLER: Caller = { id: SEED_ACTOR.name, name: SEED_ACTOR.name, role: 'editor' }

/** The actor a caller's key makes of them (the seed's caller is the seed: key ids are UUIDs, never "seed"). */
export function actorOf(caller: Caller): Actor {
  return caller.id === SEED_CALLER.id ? SEED_ACTOR : { name: caller.name, key: caller.id, role: caller.role }
}

/** How an actor is shown to one caller. */
export type ShowActor = (actor: Actor) => string

/** Hex digits of the pseudonym: 16.7 million values, so that two volunteers rarely share one. */
const PSEUDONYM_DIGITS = 6

/** The secret's row in `instance_secrets`, made by the migration that introduced pseudonyms (one per database). */
const SECRET_NAME = 'actor-pseudonym'

/** Each database's secret, read once; an operator's ACTOR_PSEUDONYM_SECRET replaces the stored one. */
const secrets = new WeakMap<Reads, Promise<string>>()

/** Uses `secret` (ACTOR_PSEUDONYM_SECRET) for this database's pseudonyms instead of the one stored in it. */
export function useActorSecret(db: Reads, secret: string): void {
  secrets.set(db, Promise.resolve(secret))
}

function secretOf(db: Reads): Promise<string> {
  let secret = secrets.get(db)
  if (!secret) {
    secret = db.get<{ value: string }>('SELECT value FROM instance_secrets WHERE name = ?', [SECRET_NAME]).then((row) => {
      if (!row) throw new Error(`The database has no ${SECRET_NAME} secret: run the migrations`)
      return row.value
    })
    // A failed read is tried again next time rather than kept.
    secret.catch(() => secrets.delete(db))
    secrets.set(db, secret)
  }
  return secret
}

/** A role and a pseudonym for `actor`, the same for every caller and every answer. */
export function pseudonymOf(actor: Actor, secret: string): string {
  if (actor.role === 'seed') return actor.name
  // A change from before key ids were kept, whose name no key had alone: the name stands in for the key.
  const subject = actor.key !== null ? `key:${actor.key}` : `name:${actor.name}`
  const digits = createHmac('sha256', secret).update(subject).digest('hex').slice(0, PSEUDONYM_DIGITS)
  return `${actor.role ?? 'contributor'} ${digits}`
}

/** The role and pseudonym of `actor`, for what is written once and read by everyone (a public revision's comment). */
export async function pseudonymFor(db: Reads, actor: Actor): Promise<string> {
  return pseudonymOf(actor, await secretOf(db))
}

/** Who made a proposal: only volunteers propose (editors change at once). */
export function proposerOf(proposal: { proposedBy: string; proposedByKey: string | null }): Actor {
  return { name: proposal.proposedBy, key: proposal.proposedByKey, role: 'volunteer' }
}

/** How `identity` is shown every actor: names to editors and to the actor itself, pseudonyms to everyone else. */
export async function actorsShownTo(db: Reads, identity: Identity): Promise<ShowActor> {
  if (hasRole(identity, 'editor')) return (actor) => actor.name
  const secret = await secretOf(db)
  return (actor) => (identity !== null && actor.key === identity.id ? actor.name : pseudonymOf(actor, secret))
}

/** How the public is shown actors: for what is public whatever the key (change feeds, webhooks' payloads). */
export function publicActors(db: Reads): Promise<ShowActor> {
  return actorsShownTo(db, null)
}

/** An actor read from a row's `actor`, `actorKey` and `actorRole` columns. */
export function actorOfRow(row: { actor: string; actorKey: string | null; actorRole: string | null }): Actor {
  return { name: row.actor, key: row.actorKey, role: row.actorRole }
}
