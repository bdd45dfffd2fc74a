import { PageCursor, PageLimit } from '../../shared/paging.dto'

/** The query string of the Atom feeds: newest first, continued with the `next` link. */
export class AtomFeedQuery {
  @PageCursor('Set by the `next` link of the previous page; leave out for the newest changes.')
  before?: string

  @PageLimit(200, 50, 'Entries')
  limit?: number
}
