import { PageCursor, PageLimit } from '../../shared/paging.dto'

export class ChangesQuery {
  @PageCursor('The `next` of your last page; leave out to start from the first change.')
  since?: string

  @PageLimit(1000, 100, 'Changes')
  limit?: number
}

/** The query string of the Atom feeds: newest first, continued with the `next` link. */
export class AtomFeedQuery {
  @PageCursor('Set by the `next` link of the previous page; leave out for the newest changes.')
  before?: string

  @PageLimit(200, 50, 'Entries')
  limit?: number
}
