import { describe, expect, it } from 'vitest';
import { LEGACY_VARIANT_RPCS, legacyVariantNotImplemented } from '../../../src/listings/legacy-variants.ts';

describe('legacy listing variants', () => {
  it.each(LEGACY_VARIANT_RPCS)('%s answers NOT_IMPLEMENTED with the original text', (rpc) => {
    const error = legacyVariantNotImplemented(rpc);
    expect(error.code).toBe('NOT_IMPLEMENTED');
    expect(error.message).toBe(`method ${rpc} not implemented`);
  });
});
