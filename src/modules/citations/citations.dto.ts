import { PageCursor, PageLimit } from '../../shared/paging.dto'


export class SourceCitationsQuery {
  @PageLimit(500, 100, 'Citations')
  limit?: number

  @PageCursor()
  cursor?: string
}
