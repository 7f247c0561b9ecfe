import { createHash } from 'node:crypto';
import type { IdempotencyKey } from '../../../ports/idempotency-store.ts';
import { AppError } from '../../../src/domain/errors.ts';
import type { HandlerContext } from '../context.ts';

/** The metadata key a client sets to make a create safe to retry (flaw #4), as REST's `Idempotency-Key`. */
export const IDEMPOTENCY_KEY = 'idempotency-key';

/** 1–255 visible ASCII characters (the REST header's rule). */
const KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotentCall {
  readonly key: IdempotencyKey;
  /** SHA-256 (hex) of the request's protobuf encoding: the same key with another request is refused. */
  readonly requestHash: string;
}

/**
 * Reads `idempotency-key` for the operation `scope`; undefined without it. Scoped to the caller (`user:42`,
 * `service:orders`, `anonymous`), so one caller can never replay another's answer. A malformed key is
 * INVALID_ARGUMENT with an `idempotency-key` violation.
 */
export function idempotentCall(
  context: HandlerContext,
  scope: string,
  encoded: Uint8Array,
): IdempotentCall | undefined {
  const values = context.metadata.get(IDEMPOTENCY_KEY);
  if (values.length === 0) return undefined;
  const value = typeof values[0] === 'string' && values.length === 1 ? values[0].trim() : undefined;
  if (value === undefined || !KEY.test(value)) {
    const message = 'idempotency-key must be one value of 1 to 255 visible ASCII characters';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: IDEMPOTENCY_KEY, reason: 'invalid_format', message }],
    });
  }
  const { principal } = context;
  return {
    key: {
      scope,
      principal: principal === undefined ? 'anonymous' : `${principal.kind}:${principal.subject}`,
      key: value,
    },
    requestHash: createHash('sha256').update(encoded).digest('hex'),
  };
}
