import { PageCursor, PageLimit } from '../../shared/paging.dto'

export class ChangesQuery {
  @PageCursor('The `next` of your last page; leave out to start from the first change.')
  since?: string

  @PageLimit(1000, 100, 'Changes')
  limit?: number
}
