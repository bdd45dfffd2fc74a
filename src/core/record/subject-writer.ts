import { EntityManager, EntityTarget, In, ObjectLiteral } from 'typeorm'
import { CitationEntity, EventCitationEntity } from '../../db/entities/citation.entity'
import { ClaimColumns, ClaimEntity, ClaimRank, EventClaimEntity } from '../../db/entities/claim.entity'
import { EventRevisionEntity, RevisionAction, RevisionEntity } from '../../db/entities/revision.entity'
import { newId } from '../../shared/ids'
import { appendToHistory } from '../history/chain'
import type { Actor } from '../access/actors'
import type { CheckedCitation, CheckedClaim, CheckedField } from '../evidence/evidence'
import type { AlternativeView, CitationView, FieldView, Withholding } from '../document/fields'

/**
 * The cited subjects and where each keeps its claims, citations and revisions: the same columns (db/entities), in
 * tables of their own so that each keeps its foreign keys and its change feed's sequence (docs/design.md §3.3).
 */
export const SUBJECTS = {
  record: { claims: ClaimEntity, citations: CitationEntity, revisions: RevisionEntity, owner: 'prisonerId', history: 'record-revision' },
  event: { claims: EventClaimEntity, citations: EventCitationEntity, revisions: EventRevisionEntity, owner: 'eventId', history: 'event-revision' },
} as const

export type SubjectKind = keyof typeof SUBJECTS

/** One revision's worth of change: who, why, and what it did to the subject. */
export interface Change<A extends string = RevisionAction> {
  action: A
  actor: Actor
  comment?: string | null
}

/** What a subject's kind adds to each claim it stores (a record's name: its folded form for search). */
export type ClaimExtras = (field: string, value: unknown) => Record<string, unknown>

/** A revision as it is appended: the subject's version after the change, and what its kind adds (a record's state). */
export interface RevisionRow {
  version: number
  at: string
  change: Change<string>
  /** Whether the public saw the subject before or after the change: what the change feeds show. */
  public: boolean
  /** The diff as JSON (revision-diff.ts for records, EventDiff for events). */
  diff: string
  extras?: Record<string, unknown>
}

/** A claim as it was stored (the columns every subject's claims share). */
export type StoredClaim = ClaimColumns & Record<string, unknown>

/** New claims and citations of some fields, and the fields as reads will show them. */
export interface NewFields {
  views: Record<string, FieldView>
  claims: StoredClaim[]
  citations: ObjectLiteral[]
}

/** A value as stored and shown: a plain JSON value, whatever class the validator built. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

/** A stored citation as reads show it; one of a private source says so (the public sees only that). */
export function citationView(id: string, { sourceId, quote, start, end, note, private: isPrivate }: CheckedCitation & { note?: string | null }): CitationView {
  return { id, sourceId, quote, start, end, ...(note ? { note } : {}), ...(isPrivate ? { private: true as const } : {}) }
}

/**
 * The one writer of claims, citations and revisions, for every cited subject (docs/design.md §2, invariant 11):
 * the record writer (record-writer.ts) and the events' writes compose its steps, inside the caller's transaction.
 * A revision is appended in one place only (`appendRevision`).
 */
export class SubjectWriter {
  private readonly tables: (typeof SUBJECTS)[SubjectKind]

  constructor(
    private readonly manager: EntityManager,
    kind: SubjectKind,
    private readonly subjectId: string,
    private readonly extras: ClaimExtras = () => ({}),
  ) {
    this.tables = SUBJECTS[kind]
  }

  private get owner(): Record<string, string> {
    return { [this.tables.owner]: this.subjectId }
  }

  /**
   * The claims and citations of the checked fields as of `version` (a field's preferred value first, then its
   * alternatives), and each field as reads will show them; stored by `insert` once the subject's row exists.
   * `withheldOf` says which fields are withheld: a withheld field stays withheld whatever new value it takes, until an
   * editor discloses it. The fields' earlier claims are superseded first (`supersede`) by the caller when there were any.
   */
  newFields(
    checked: Record<string, CheckedField>,
    version: number,
    at: string,
    withheldOf: (field: string) => Withholding | undefined = () => undefined,
  ): NewFields {
    const claims: StoredClaim[] = []
    const citations: ObjectLiteral[] = []
    const toClaim = (field: string, claim: CheckedClaim, rank: 'preferred' | 'normal', claimId = newId()): CitationView[] => {
      claims.push(this.claimRow(claimId, field, claim.value, rank, version, at, withheldOf(field) !== undefined) as StoredClaim)
      return claim.citations.map((citation) => {
        const id = newId()
        citations.push(this.citationRow(id, claimId, citation, at))
        return citationView(id, citation)
      })
    }
    const views: Record<string, FieldView> = {}
    for (const [field, { preferred, alternatives }] of Object.entries(checked)) {
      const preferredId = preferred ? newId() : null
      const withheld = withheldOf(field)
      views[field] = {
        value: preferred ? plain(preferred.value) : null,
        claimId: preferredId,
        citations: preferred ? toClaim(field, preferred, 'preferred', preferredId!) : [],
        alternatives: alternatives.map((alternative) => {
          const claimId = newId()
          return { claimId, value: plain(alternative.value), rank: 'normal' as const, citations: toClaim(field, alternative, 'normal', claimId) }
        }),
        ...(withheld ? { withheld } : {}),
      }
    }
    return { views, claims, citations }
  }

  /** Stores what `newFields` made. */
  async insert({ claims, citations }: NewFields): Promise<void> {
    if (claims.length) await this.manager.insert(this.tables.claims as EntityTarget<ObjectLiteral>, claims)
    if (citations.length) await this.manager.insert(this.tables.citations as EntityTarget<ObjectLiteral>, citations)
  }

  /** The fields' current claims (preferred and alternatives) become deprecated: history and audits can still reach them. */
  async supersede(fields: string[], version: number): Promise<void> {
    if (fields.length === 0) return
    await this.manager.update(
      this.tables.claims as EntityTarget<ObjectLiteral>,
      { ...this.owner, field: In(fields), rank: In(['preferred', 'normal']) },
      { rank: 'deprecated', reason: `superseded in version ${version}` },
    )
  }

  /** Adds a claim to a field as an alternative, introduced in `version`; returns it as reads show it. */
  async addClaim(field: string, claim: CheckedClaim, version: number, at: string, withheld: boolean): Promise<AlternativeView> {
    const claimId = newId()
    const value = plain(claim.value)
    await this.manager.insert(this.tables.claims as EntityTarget<ObjectLiteral>, this.claimRow(claimId, field, value, 'normal', version, at, withheld))
    const citations = claim.citations.map((citation) => ({ id: newId(), ...citation }))
    if (citations.length) {
      await this.manager.insert(
        this.tables.citations as EntityTarget<ObjectLiteral>,
        citations.map((citation) => this.citationRow(citation.id, claimId, citation, at)),
      )
    }
    return { claimId, value, rank: 'normal', citations: citations.map((citation) => citationView(citation.id, citation)) }
  }

  /** An editor's ranking of one claim of the subject, with the reason. */
  async rankClaim(claimId: string, rank: ClaimRank, reason: string): Promise<void> {
    await this.manager.update(this.tables.claims as EntityTarget<ObjectLiteral>, { ...this.owner, id: claimId }, { rank, reason })
  }

  /** Marks every claim of a field withheld (or no longer): search, a source's citations and traces leave them out for all but editors. */
  async markWithheld(field: string, withheld: boolean): Promise<void> {
    await this.manager.update(this.tables.claims as EntityTarget<ObjectLiteral>, { ...this.owner, field }, { withheld })
  }

  /** Appends one revision to the subject's history: the one place every subject's revisions are written. */
  async appendRevision({ version, at, change, public: visible, diff, extras = {} }: RevisionRow): Promise<void> {
    await this.manager.insert(this.tables.revisions as EntityTarget<ObjectLiteral>, {
      ...this.owner,
      version,
      action: change.action,
      actor: change.actor.name,
      actorKey: change.actor.key,
      actorRole: change.actor.role,
      at,
      comment: change.comment ?? null,
      public: visible,
      diff,
      ...extras,
    })
    // In the same transaction, in commit order: the history no one can rewrite unseen (docs/design.md §10).
    await appendToHistory(this.manager, this.tables.history, this.subjectId, version)
  }

  private claimRow(id: string, field: string, value: unknown, rank: ClaimRank, version: number, at: string, withheld: boolean): ObjectLiteral {
    const json = plain(value)
    return { id, ...this.owner, field, value: JSON.stringify(json), rank, reason: null, version, createdAt: at, withheld, ...this.extras(field, json) }
  }

  private citationRow(id: string, claimId: string, { sourceId, quote, start, end, note }: CheckedCitation & { note?: string | null }, at: string): ObjectLiteral {
    return { id, claimId, sourceId, quote, quoteStart: start, quoteEnd: end, note, createdAt: at }
  }
}
