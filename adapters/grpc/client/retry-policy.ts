import { status as Status } from '@grpc/grpc-js';
import { retryDelayMs } from '../../../src/domain/retry-backoff.ts';
import type { ListingsClientError } from './errors.ts';

export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 disables retries). */
  readonly maxAttempts?: number;
  /** Nominal delay before the first retry (default 100 ms); doubles per retry, with jitter. */
  readonly initialBackoffMs?: number;
  /** Cap of the nominal delay (default 2 s); a server asking to wait longer than this is not retried. */
  readonly maxBackoffMs?: number;
}

/** Reads: safe to repeat, including after a deadline when the first attempt may still have run. */
export function isReadRpc(rpc: string): boolean {
  return /^(Get|List|Search|Is|Check)/.test(rpc);
}

/** Writes whose repetition leaves the same state: favorites are set-like, rollback is keyed by order_id. */
const IDEMPOTENT_WRITES = new Set(['AddToFavorites', 'RemoveFromFavorites', 'RollbackStock']);

export function isIdempotentRpc(rpc: string): boolean {
  return isReadRpc(rpc) || IDEMPOTENT_WRITES.has(rpc);
}

/**
 * Milliseconds to wait before attempt `attempt + 1`, or undefined to give up. Only idempotent RPCs are retried:
 * UNAVAILABLE always, DEADLINE_EXCEEDED only for reads (a write may have completed), RESOURCE_EXHAUSTED only when
 * the server sent RetryInfo (a rate limit; a too-large message would fail again), never sooner than it asks.
 */
export function retryDelay(
  rpc: string,
  error: ListingsClientError,
  attempt: number,
  options: RetryOptions,
  random: () => number,
): number | undefined {
  const maxAttempts = options.maxAttempts ?? 3;
  const policy = { baseMs: options.initialBackoffMs ?? 100, maxMs: options.maxBackoffMs ?? 2_000 };
  if (attempt >= maxAttempts || !isIdempotentRpc(rpc)) return undefined;
  const backoff = retryDelayMs(attempt, random(), policy);
  if (error.code === Status.UNAVAILABLE) return backoff;
  if (error.code === Status.DEADLINE_EXCEEDED && isReadRpc(rpc)) return backoff;
  const asked = error.statusDetails?.retryDelayMs;
  if (error.code === Status.RESOURCE_EXHAUSTED && asked !== undefined && asked <= policy.maxMs) {
    return Math.max(asked, backoff);
  }
  return undefined;
}
