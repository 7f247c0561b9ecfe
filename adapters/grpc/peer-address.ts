import { BlockList, isIP } from 'node:net';

/**
 * The IP of an address as grpc-js or a proxy header writes it, without the port: `10.0.0.5:51234` → `10.0.0.5`,
 * `::1:51234` (grpc-js does not bracket IPv6) → `::1`, `[::1]:51234` → `::1`, `::ffff:10.0.0.5` → `10.0.0.5`.
 * Undefined when no IP can be found (a Unix socket, `unknown`).
 */
export function ipOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  let text = address.trim().replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (isIP(text) === 0) text = text.replace(/:\d+$/, '');
  if (isIP(text) === 0) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped ? mapped[1] : text.toLowerCase();
}

/** Matches IPs against exact addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`). */
export class AddressMatcher {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.trim().split('/');
      const family = isIP(address ?? '');
      if (family === 0 || (prefix !== undefined && !/^\d+$/.test(prefix))) {
        throw new Error(`not an IP address or CIDR range: ${entry}`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.#list.addAddress(address!, type);
      else this.#list.addSubnet(address!, Number(prefix), type);
    }
    this.size = entries.length;
  }

  matches(ip: string | undefined): boolean {
    if (ip === undefined || this.size === 0) return false;
    return this.#list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
  }
}
