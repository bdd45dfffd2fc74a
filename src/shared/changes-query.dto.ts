import { PageCursor, PageLimit } from './paging.dto'

/** The query string of the JSON change feeds (records' and events'): oldest first, continued from `since`. */
export class ChangesQuery {
  @PageCursor('The `next` of your last page; leave out to start from the first change.')
  since?: string

  @PageLimit(1000, 100, 'Changes')
  limit?: number
}

