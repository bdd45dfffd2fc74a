import { Database } from '../../db/database'
import { encodeCursor } from '../../shared/cursor'
import { ChangeEntry, ChangesService } from '../../core/feeds/record-feed'
import { EventChangeEntry, EventFeed } from '../../core/feeds/event-feed'

/**
 * What a delivery says: the entry of the public change feed (GET /v1/changes, GET /v1/changes/events) for the
 * revision, read through the same code and the same access rule, when it is sent. A change the public feed does
 * not show (a pending submission, a rejected one) is never sent, and values withheld or private by then are
 * left out as the feed leaves them out.
 */
export class PublicChange {
  private readonly records: ChangesService
  private readonly events: EventFeed

  constructor(private readonly db: Database) {
    this.records = new ChangesService(db)
    this.events = new EventFeed(db)
  }

  async of(subject: 'record' | 'event', subjectId: string, version: number): Promise<ChangeEntry | EventChangeEntry | null> {
    const revision = await this.db.get<{ id: number }>(
      subject === 'record' ? 'SELECT id FROM revisions WHERE prisoner_id = ? AND version = ?' : 'SELECT id FROM event_revisions WHERE event_id = ? AND version = ?',
      [subjectId, version],
    )
    if (!revision) return null
    const since = encodeCursor([revision.id - 1])
    const { data } = subject === 'record' ? await this.records.page(since, 1) : await this.events.page(since, 1)
    return data[0]?.seq === revision.id ? data[0] : null
  }
}
