/** Response shapes of the sources routes, for the OpenAPI document and fast serialisation. */
const nullableString = { type: ['string', 'null'] }

export const sourceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    publisher: nullableString,
    url: nullableString,
    publishedAt: nullableString,
    retrievedAt: nullableString,
    language: nullableString,
    kind: { type: 'string' },
    note: nullableString,
    hasContent: { type: 'boolean', description: 'Whether the archived text is held (GET /v1/sources/{id}/content)' },
    contentLength: { type: ['integer', 'null'], description: 'Length of the archived text in Unicode code points' },
    contentSha256: { type: ['string', 'null'], description: 'SHA-256 (hex) of the archived text, UTF-8' },
    createdAt: { type: 'string', format: 'date-time' },
    addedBy: { type: ['string', 'null'], description: 'Who added the source: the name of the API key ("seed" for the seed); null when not recorded' },
  },
}
