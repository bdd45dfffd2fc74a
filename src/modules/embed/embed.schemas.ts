/** Response shapes of the embed routes, registered once as named schemas (see src/shared/response-schemas.ts). */
export const embedManifestSchema = {
  $id: 'EmbedManifest',
  type: 'object',
  description: 'The card script under its versioned URL, its SRI hash, and a snippet to paste.',
  additionalProperties: false,
  required: ['element', 'script', 'integrity', 'languages', 'snippet'],
  properties: {
    element: { type: 'string', description: 'The custom element: registry-person' },
    script: { type: 'string', description: 'Absolute URL of the script; cached for a year, never changes' },
    integrity: { type: 'string', description: 'The SRI hash (sha384) for the integrity attribute' },
    languages: { type: 'array', items: { type: 'string' }, description: 'Values of its lang attribute' },
    snippet: { type: 'string', description: 'HTML to paste, with RECORD-ID to replace' },
  },
}

export const EMBED_SCHEMAS = [embedManifestSchema]
