import { randomBytes } from 'node:crypto'

let lastMs = 0
let sequence = 0

/**
 * A new id: a UUID version 7 (RFC 9562), time-ordered. Rows keyed by random UUIDs land on random pages
 * of every index they are in, so each cited write dirtied dozens of pages; ids that grow with time are
 * appended where the last ones were. Within one millisecond a 12-bit sequence keeps them in order.
 */
export function newId(): string {
  const ms = Date.now()
  if (ms > lastMs) {
    lastMs = ms
    sequence = randomBytes(2).readUInt16BE() & 0x3ff
  } else {
    sequence = (sequence + 1) & 0xfff
  }
  const bytes = randomBytes(16)
  bytes.writeUIntBE(lastMs, 0, 6)
  bytes[6] = 0x70 | (sequence >> 8)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | (bytes[8] & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
