import { AppError } from '../domain/errors.ts';

/** The four legacy listing-variant RPCs, answered UNIMPLEMENTED on purpose (see legacy-variants.md). */
export const LEGACY_VARIANT_RPCS = ['CreateVariants', 'GetVariants', 'UpdateVariant', 'DeleteVariant'] as const;
export type LegacyVariantRpc = (typeof LEGACY_VARIANT_RPCS)[number];

/** NOT_IMPLEMENTED `method <Rpc> not implemented` (gRPC UNIMPLEMENTED, HTTP 501), the original's wording. */
export function legacyVariantNotImplemented(rpc: LegacyVariantRpc): AppError {
  return new AppError('NOT_IMPLEMENTED', `method ${rpc} not implemented`, {
    reason: 'listings.legacy_variants_unsupported',
    details: { rpc, use: 'CreateProductVariant, GetVariantsByProductID, UpdateProductVariant, DeleteProductVariant' },
  });
}
