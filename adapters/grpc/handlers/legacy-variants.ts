import { type LegacyVariantRpc, legacyVariantNotImplemented } from '../../../src/listings/legacy-variants.ts';
import type { Handlers } from '../context.ts';

function refuse(rpc: LegacyVariantRpc) {
  return async (): Promise<never> => {
    throw legacyVariantNotImplemented(rpc);
  };
}

/**
 * CreateVariants, GetVariants, UpdateVariant, DeleteVariant: UNIMPLEMENTED `method <Rpc> not implemented`, the
 * same answer as an RPC without a handler, plus ErrorInfo reason `listings.legacy_variants_unsupported` and the
 * product-variant RPCs to use instead (src/listings/legacy-variants.md explains why they are not mapped).
 */
export function legacyVariantHandlers(): Partial<Handlers> {
  return {
    CreateVariants: refuse('CreateVariants'),
    GetVariants: refuse('GetVariants'),
    UpdateVariant: refuse('UpdateVariant'),
    DeleteVariant: refuse('DeleteVariant'),
  };
}
