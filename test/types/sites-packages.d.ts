// The feed parser and the JSON-LD processor the sites' tests read their answers with (test/modules/changes,
// test/modules/prisoners). Declared here, as much as the tests use, until both are devDependencies with types of their own.
declare module '@rowanmanning/feed-parser' {
  interface FeedElement {
    findElementsWithName(name: string): FeedElement[]
    getAttribute(name: string): string | null
  }
  export interface FeedItem {
    id: string | null
    title: string | null
    description: string | null
    url: string | null
    updated: Date | null
  }
  export interface Feed {
    title: string | null
    updated: Date | null
    self: string | null
    element: FeedElement
    items: FeedItem[]
  }
  export function parseFeed(xml: string): Feed
}

declare module 'jsonld' {
  export function expand(input: object, options?: object): Promise<Record<string, unknown>[]>
  export function toRDF(input: object, options: { format: 'application/n-quads' }): Promise<string>
}
