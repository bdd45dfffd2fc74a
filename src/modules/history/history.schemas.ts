import { ref } from '../../shared/response-schemas'

/** Response shapes of the history routes (docs/design.md §10), each registered once as a named schema. */
const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' }

export const checkpointSchema = {
  $id: 'HistoryCheckpoint',
  type: 'object',
  description:
    'A signed statement of the history chain: its size and the hash of its last entry at a time. Keep it: any later export ' +
    'that does not lead to this head at this size was rewritten (npm run verify-history -- EXPORT --checkpoint FILE).',
  additionalProperties: false,
  required: ['size', 'head', 'at', 'keyId', 'signature', 'publicKey'],
  properties: {
    size: { type: 'integer', minimum: 1, description: 'Entries in the chain' },
    head: { ...HASH, description: 'The entry hash at position `size`' },
    at: { type: 'string', format: 'date-time' },
    keyId: { ...HASH, description: "SHA-256 of the signing key's public key (SPKI DER)" },
    signature: { type: 'string', description: 'Ed25519, base64, over the RFC 8785 JSON of { at, head, keyId, log: "registry-history/1", size }' },
    publicKey: { type: 'string', description: 'The public key (PEM), so that the checkpoint saved alone can be checked; compare keyId with the one you trust' },
  },
}

export const checkpointsSchema = {
  $id: 'HistoryCheckpoints',
  type: 'object',
  additionalProperties: false,
  required: ['size', 'head', 'latest', 'data'],
  properties: {
    size: { type: 'integer', minimum: 0, description: 'Entries in the chain now' },
    head: { ...HASH, description: 'The entry hash at `size` now (64 zeros for an empty chain)' },
    latest: { anyOf: [ref('HistoryCheckpoint'), { type: 'null' }], description: 'The newest checkpoint; null before the first' },
    data: { type: 'array', items: ref('HistoryCheckpoint'), description: 'Checkpoints, newest first' },
  },
}

export const publicKeySchema = {
  $id: 'HistoryPublicKey',
  type: 'object',
  additionalProperties: false,
  required: ['algorithm', 'keyId', 'publicKey'],
  properties: {
    algorithm: { type: 'string', enum: ['Ed25519'] },
    keyId: HASH,
    publicKey: { type: 'string', description: 'PEM (SPKI)' },
  },
}

export const inclusionSchema = {
  $id: 'HistoryInclusionProof',
  type: 'object',
  description: 'Fold SHA-256(h ‖ c) over contentHashes from h = previous: the result is head, the entry hash a checkpoint of this size signs.',
  additionalProperties: false,
  required: ['position', 'size', 'previous', 'contentHashes', 'head'],
  properties: {
    position: { type: 'integer' },
    size: { type: 'integer' },
    previous: { ...HASH, description: 'The entry hash at position - 1 (64 zeros at position 1)' },
    contentHashes: { type: 'array', items: HASH, description: 'Content hashes of positions `position` to `size`; the first is the entry\'s own' },
    head: HASH,
  },
}

export const consistencySchema = {
  $id: 'HistoryConsistencyProof',
  type: 'object',
  description: 'Fold SHA-256(h ‖ c) over contentHashes from h = fromHead: the result is toHead. Both heads are what checkpoints of sizes from and to sign.',
  additionalProperties: false,
  required: ['from', 'to', 'fromHead', 'contentHashes', 'toHead'],
  properties: {
    from: { type: 'integer' },
    to: { type: 'integer' },
    fromHead: HASH,
    contentHashes: { type: 'array', items: HASH, description: 'Content hashes of positions from + 1 to `to`' },
    toHead: HASH,
  },
}

export const HISTORY_SCHEMAS = [checkpointSchema, checkpointsSchema, publicKeySchema, inclusionSchema, consistencySchema]
