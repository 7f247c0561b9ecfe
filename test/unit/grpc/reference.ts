import { ENTITY_MESSAGES } from './reference-entities.ts';
import { LISTING_RPC_MESSAGES } from './reference-listing-messages.ts';
import { PRODUCT_RPC_MESSAGES } from './reference-product-messages.ts';
import { STOCK_RPC_MESSAGES } from './reference-stock-messages.ts';
import type { MessageTable } from './reference-types.ts';

export { REFERENCE_RPCS } from './reference-rpcs.ts';

/** All 101 messages of listings.v1 with their field numbers and types, from the reference (§3.5). */
export const REFERENCE_MESSAGES: MessageTable = {
  ...ENTITY_MESSAGES,
  ...LISTING_RPC_MESSAGES,
  ...PRODUCT_RPC_MESSAGES,
  ...STOCK_RPC_MESSAGES,
};

/** The well-known types the contract uses, as protobuf defines them (FieldMask and Struct are checked specially). */
export const WELL_KNOWN_MESSAGES: MessageTable = {
  'g.p.Timestamp': { seconds: [1, 'int64'], nanos: [2, 'int32'] },
  'g.p.FieldMask': { paths: [1, 'repeated string'] },
  'g.p.Empty': {},
};

/** snake_case proto name → the lowerCamelCase property ts-proto generates. */
export function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
