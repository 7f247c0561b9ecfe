import { BlockList, isIP } from 'node:net';
import { AppError } from '../../src/domain/errors.ts';

/**
 * Which IP addresses an import may connect to: every public unicast address, none of the ranges below, except
 * those an allowlist names. (IPv4-mapped IPv6 addresses, `::ffff:10.0.0.1`, are judged as their IPv4 address.)
 */
const REFUSED_IPV4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (shared address space)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const REFUSED_IPV6: readonly [string, number][] = [
  ['::', 96], // unspecified (::), loopback (::1) and the deprecated IPv4-compatible addresses
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo (hides an IPv4 address)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (hides an IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

/** NAT64 (`64:ff9b::/96`) carries an IPv4 address in its last 32 bits, judged as that address. */
const NAT64 = /^64:ff9b::(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/i;

export class AddressPolicy {
  readonly #refused = new BlockList();
  readonly #allowed = new BlockList();

  /**
   * @param allow addresses or CIDR ranges to admit although refused by default, e.g. `127.0.0.1`, `10.1.0.0/16`,
   *   `::1` (tests serve images from a local server; an intranet image host). Invalid entries are CONFIG_INVALID.
   */
  constructor(allow: readonly string[] = []) {
    for (const [network, prefix] of REFUSED_IPV4) this.#refused.addSubnet(network, prefix, 'ipv4');
    for (const [network, prefix] of REFUSED_IPV6) this.#refused.addSubnet(network, prefix, 'ipv6');
    for (const entry of allow) addEntry(this.#allowed, entry);
  }

  /** Whether a connection to `address` (an IPv4 or IPv6 literal, without brackets) may be made. */
  isAllowed(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.#allowed.check(address, type)) return true;
    if (this.#refused.check(address, type)) return false;
    const embedded = family === 6 ? nat64Ipv4(address) : undefined;
    return embedded === undefined || this.isAllowed(embedded);
  }
}

function nat64Ipv4(address: string): string | undefined {
  const match = NAT64.exec(address);
  if (match === null) return undefined;
  if (match[3] !== undefined) return match[3];
  const high = Number.parseInt(match[1] as string, 16);
  const low = Number.parseInt(match[2] as string, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefixText] = entry.trim().split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new AppError('CONFIG_INVALID', `image import allowlist: ${JSON.stringify(entry)} is not an address or CIDR`);
  }
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}
