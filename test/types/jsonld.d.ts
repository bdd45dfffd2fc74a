// The JSON-LD processor the linked-data test reads its answers with (test/modules/prisoners): the jsonld package
// ships no types, and @types/jsonld lags its versions; declared here as much as the test uses.
declare module 'jsonld' {
  export function expand(input: object, options?: object): Promise<Record<string, unknown>[]>
  export function toRDF(input: object, options: { format: 'application/n-quads' }): Promise<string>
}
