import type { IdempotencyKey } from '../../ports/idempotency-store.ts';

/**
 * What a driving adapter (REST, gRPC, CLI) passes besides the request: how long the caller waits, and an
 * idempotency key for creates. Who calls is the first argument of every `execute`, so a missing principal is
 * visible at each call site.
 */
export interface CallOptions {
  /** Aborted when the caller gave up (client cancel, server shutdown). */
  readonly signal?: AbortSignal | undefined;
  /** The caller's deadline, epoch milliseconds (the gRPC deadline, the HTTP route's budget). */
  readonly deadline?: number | undefined;
  /** A client's `Idempotency-Key` (creates only), scoped to the operation and the caller. */
  readonly idempotency?: IdempotentCall | undefined;
}

/** The shape of adapters/http/idempotency.ts's `IdempotentRequest`. */
export interface IdempotentCall {
  readonly key: IdempotencyKey;
  /** SHA-256 of the canonical request: the same key with another request is IDEMPOTENCY_KEY_REUSED. */
  readonly requestHash: string;
}
