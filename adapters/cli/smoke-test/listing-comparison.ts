import type { Listing } from '../../grpc/generated/listings/v1/listings.ts';

/**
 * The members a REST listing document and a gRPC Listing message must agree on (the same row through two
 * mappers). Timestamps are left out: REST and gRPC format them differently by design (milliseconds vs the
 * original's seconds).
 */
const PAIRS = [
  ['id', 'id'],
  ['uuid', 'uuid'],
  ['user_id', 'userId'],
  ['storefront_id', 'storefrontId'],
  ['title', 'title'],
  ['description', 'description'],
  ['price', 'price'],
  ['currency', 'currency'],
  ['category_id', 'categoryId'],
  ['status', 'status'],
  ['visibility', 'visibility'],
  ['quantity', 'quantity'],
  ['sku', 'sku'],
] as const;

/** `member: REST x, gRPC y` for every member that differs; empty when the two agree. */
export function listingDifferences(rest: Record<string, unknown>, grpc: Listing): string[] {
  const differences: string[] = [];
  for (const [restName, grpcName] of PAIRS) {
    const a = normalise(rest[restName]);
    const b = normalise(grpc[grpcName]);
    if (a !== b) differences.push(`${restName}: REST ${JSON.stringify(a)}, gRPC ${JSON.stringify(b)}`);
  }
  const restImages = Array.isArray(rest.images) ? rest.images.length : 0;
  if (restImages !== grpc.images.length) {
    differences.push(`images: REST ${restImages}, gRPC ${grpc.images.length}`);
  }
  return differences;
}

/** REST omits null members, gRPC leaves optional fields undefined: both mean "absent". */
function normalise(value: unknown): unknown {
  return value === null || value === undefined ? undefined : value;
}
