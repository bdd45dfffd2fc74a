import { BlockList, isIP } from 'node:net'
import { Resolver } from 'node:dns/promises'

/**
 * Where the registry itself may connect: webhooks and the capture of a source's address (src/core/capture). A
 * registry runs beside other services: a URL that resolves to loopback, a private, link-local or carrier-grade NAT
 * network, a multicast or unspecified address, or a cloud's metadata address would let a key holder make it call
 * them (server-side request forgery). Those are refused unless the operator allows them (WEBHOOK_ALLOW_PRIVATE,
 * CAPTURE_ALLOW_PRIVATE).
 */
const NOT_PUBLIC: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, and 169.254.169.254: the metadata service of most clouds
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 3, 'ipv4'], // multicast and reserved, 255.255.255.255 included
  ['::', 127, 'ipv6'], // unspecified and ::1
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard-only
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed inside some networks)
  ['fc00::', 7, 'ipv6'], // unique local, fd00:ec2::254 (a metadata address) included
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
]

// No rule for IPv4-mapped IPv6 (::ffff:0:0/96): BlockList checks such an address against the IPv4 rules above
// (::ffff:127.0.0.1 is refused as 127.0.0.1 is), and would match every IPv4 address against it.
const blocked = new BlockList()
for (const [network, prefix, family] of NOT_PUBLIC) blocked.addSubnet(network, prefix, family)

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4')

/** Addresses and CIDR ranges ("127.0.0.1", "10.0.0.0/8", "::1") as WEBHOOK_ALLOW_PRIVATE and CAPTURE_ALLOW_PRIVATE list them. */
export function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address, prefix] = entry.split('/')
    if (prefix === undefined) list.addAddress(address, familyOf(address))
    else list.addSubnet(address, Number(prefix), familyOf(address))
  }
  return list
}

const resolver = new Resolver({ timeout: 3000, tries: 2 })

/** The IPv4 and IPv6 addresses of a name; rejects when it has none. */
async function resolveName(name: string): Promise<{ address: string; family: number }[]> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)])
  const addresses = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
  ]
  if (!addresses.length) {
    const reason = v4.status === 'rejected' ? (v4.reason as NodeJS.ErrnoException).code : 'no address'
    throw new Error(`${name} does not resolve (${reason ?? 'no address'})`)
  }
  return addresses
}

/** An address the policy refuses (rather than one DNS could not resolve): the caller tells the two apart. */
export class AddressRefused extends Error {}

export class AddressPolicy {
  private readonly allowed: BlockList

  /**
   * `allowPrivate`: the loopback, private or reserved addresses that may be called all the same. `allowPublic`
   * false: only those may be called, and names are not even resolved (a registry on a closed network, the test
   * suite, which must never reach beyond the machine).
   */
  constructor(allowPrivate: readonly string[], private readonly allowPublic = true) {
    this.allowed = allowList(allowPrivate)
  }

  /** Why the address may not be called, or null when it may. */
  refusal(address: string): string | null {
    const family = familyOf(address)
    if (this.allowed.check(address, family)) return null
    if (!blocked.check(address, family)) return this.allowPublic ? null : `it is ${address}, a public address, and this registry fetches none`
    return `it resolves to ${address}, a loopback, private, link-local or reserved address`
  }

  /**
   * Every address the host resolves to (an IP literal is its own), each of them allowed; rejects otherwise.
   * Names are asked of DNS through c-ares, with a time limit, rather than getaddrinfo: a slow resolver must not
   * hold libuv's four threads, which compression and file reads of every other request share (docs/design.md,
   * invariant 10). So /etc/hosts is not read: a name only it knows is unknown here.
   */
  async resolve(host: string): Promise<{ address: string; family: number }[]> {
    const bare = host.replace(/^\[|\]$/g, '')
    if (!isIP(bare) && !this.allowPublic) throw new AddressRefused(`it is the name ${bare}, and this registry fetches only the addresses it is given`)
    const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolveName(bare)
    for (const { address } of addresses) {
      const why = this.refusal(address)
      if (why) throw new AddressRefused(why)
    }
    return addresses
  }

  /**
   * A `lookup` for http.request (or an Agent): the connection goes to an address checked after DNS, the one just
   * resolved, so a name that resolved to a public address when it was checked cannot be pointed at a private one
   * by the time the connection is made (DNS rebinding).
   */
  readonly lookup = (
    host: string,
    options: { all?: boolean },
    callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
  ): void => {
    this.resolve(host).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family)),
      (error: Error) => callback(error, ''),
    )
  }
}
