import { AppError } from '../../../src/domain/errors.ts';
import { type LegacyVariantRpc, legacyVariantNotImplemented } from '../../../src/listings/legacy-variants.ts';
import type { Handlers } from '../context.ts';

/**
 * The use case's error, re-issued without its `reason`: on gRPC a reason replaces the status message
 * (status-details.ts), and UNIMPLEMENTED must read `method <Rpc> not implemented` like any RPC without a handler.
 * The dotted reason stays in ErrorInfo metadata (`legacy_reason`), next to the RPCs to use instead (`use`).
 */
function refuse(rpc: LegacyVariantRpc) {
  return async (): Promise<never> => {
    const error = legacyVariantNotImplemented(rpc);
    throw new AppError(error.code, error.message, { details: { ...error.details, legacy_reason: error.reason } });
  };
}

/**
 * CreateVariants, GetVariants, UpdateVariant, DeleteVariant: UNIMPLEMENTED `method <Rpc> not implemented`, on
 * purpose (src/listings/legacy-variants.md explains why they are not mapped onto product variants).
 */
export function legacyVariantHandlers(): Partial<Handlers> {
  return {
    CreateVariants: refuse('CreateVariants'),
    GetVariants: refuse('GetVariants'),
    UpdateVariant: refuse('UpdateVariant'),
    DeleteVariant: refuse('DeleteVariant'),
  };
}
