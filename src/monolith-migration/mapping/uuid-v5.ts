import { hash } from 'node:crypto';
import { UUID_NAMESPACE } from './constants.ts';

/** RFC 9562 UUIDv5: SHA-1 of namespace bytes + UTF-8 name, version 5, RFC variant. Same as `uuid_generate_v5`. */
export function uuidV5(namespace: string, name: string): string {
  const hex = namespace.replaceAll('-', '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${namespace}`);
  const digest = hash('sha1', Buffer.concat([Buffer.from(hex, 'hex'), Buffer.from(name, 'utf8')]), 'buffer');
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const out = digest.subarray(0, 16).toString('hex');
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20)}`;
}

/** `listings.uuid` of a migrated row (§3.1): UUIDv5(namespace, `<source_table>:<id>`), stable across reruns. */
export function listingUuid(sourceTable: 'c2c_listings' | 'b2c_products', id: number): string {
  return uuidV5(UUID_NAMESPACE, `${sourceTable}:${id}`);
}
