/**
 * Replay protection for creates (`Idempotency-Key` over REST, `idempotency-key` metadata over gRPC; flaw #4):
 * a retried request gets the first request's response instead of creating a second row.
 *
 * Protocol, per key: {@link reserve} → do the work → {@link complete} in the same transaction as the write
 * (use the `TransactionScope` store), or {@link release} when the work failed, so the key can be retried.
 *
 * Guarantees an adapter must keep:
 * - Keys are scoped by operation and caller: one caller can never read another's response.
 * - Reservation is atomic: of two concurrent requests with one key, exactly one gets `reserved`.
 * - The same key with a different `requestHash` → `IDEMPOTENCY_KEY_REUSED`, whatever the state.
 * - Entries expire after `ttlMs`; an `in_progress` reservation past its expiry (a crashed request) may be taken
 *   over by a new `reserve`.
 */
export interface IdempotencyStore {
  /** Claims the key for this request, or tells what happened to an earlier request with the same key. */
  reserve(key: IdempotencyKey, requestHash: string, ttlMs: number): Promise<Reservation>;

  /** Stores the response (JSON-serialisable) of a reserved key; `resourceId` is the created row's id. */
  complete(key: IdempotencyKey, response: unknown, resourceId: number | null): Promise<void>;

  /** Forgets a reservation whose work failed. Unknown keys are ignored. */
  release(key: IdempotencyKey): Promise<void>;

  /** Deletes expired entries, at most `limit` (default 10 000). Returns how many. */
  purgeExpired(limit?: number): Promise<number>;
}

export interface IdempotencyKey {
  /** The operation, e.g. `listings.create`, `products.create` (≤ 100 chars). */
  readonly scope: string;
  /** The caller: `Principal.subject` (≤ 255 chars). */
  readonly principal: string;
  /** The client's key, 1..255 chars. */
  readonly key: string;
}

export type Reservation =
  | { readonly state: 'reserved' }
  | { readonly state: 'in_progress' }
  | { readonly state: 'completed'; readonly response: unknown; readonly resourceId: number | null };
