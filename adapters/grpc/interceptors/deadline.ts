import { AppError } from '../../../src/domain/errors.ts';
import type { GrpcLogger, Interceptor } from '../context.ts';
import { formatGoDuration } from '../go-duration.ts';
import type { RpcName } from '../rpcs.ts';
import { assertRpcTable } from './rpc-table.ts';
import { settled } from './settled.ts';

/** Per-method timeouts of §8, in milliseconds; every other RPC gets DEFAULT_TIMEOUT_MS. */
export const DEFAULT_TIMEOUTS_MS: Readonly<Partial<Record<RpcName, number>>> = {
  GetListing: 5_000,
  ListListings: 5_000,
  GetProductStats: 5_000,
  CreateListing: 10_000,
  UpdateListing: 10_000,
  DeleteListing: 15_000,
  SearchListings: 8_000,
  RecordInventoryMovement: 8_000,
  IncrementProductViews: 3_000,
  BatchUpdateStock: 20_000,
};
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface DeadlineObserver {
  /** A call ran past its effective deadline (`listings_timeouts_total`, `listings_timeout_duration_seconds`). */
  onTimeout?(method: string, seconds: number): void;
  /** A call finished after more than 80 % of its timeout (`listings_near_timeouts_total`). */
  onNearTimeout?(method: string): void;
}

export interface DeadlineOptions {
  /** Replaces DEFAULT_TIMEOUTS_MS; keys are checked against the service at start-up. */
  readonly timeoutsMs?: Readonly<Record<string, number>>;
  readonly defaultTimeoutMs?: number;
  /** Fraction of the timeout past which a finished call is logged as near-timeout (default 0.8). */
  readonly nearTimeoutRatio?: number;
  readonly observer?: DeadlineObserver;
}

/** Resolves the method's timeout table, refusing unknown RPC names and non-positive values. */
export function timeoutTable(options: DeadlineOptions): (rpc: RpcName) => number {
  const table = options.timeoutsMs ?? DEFAULT_TIMEOUTS_MS;
  assertRpcTable('the gRPC timeout table', table);
  const fallback = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const [name, ms] of Object.entries({ ...table, default: fallback })) {
    if (!(typeof ms === 'number' && Number.isFinite(ms) && ms > 0)) {
      throw new AppError('CONFIG_INVALID', `the gRPC timeout for ${name} must be a positive number of milliseconds`);
    }
  }
  return (rpc) => table[rpc] ?? fallback;
}

/**
 * Bounds every call by the tighter of the client's deadline and the method's timeout. The handler sees the
 * effective deadline and an AbortSignal; when it passes, the caller is answered DEADLINE_EXCEEDED
 * `request timeout after <elapsed> (limit: <timeout>)` at once, whatever the handler is still doing.
 */
export function deadlineInterceptor(options: DeadlineOptions, logger: GrpcLogger): Interceptor {
  const timeoutOf = timeoutTable(options);
  const nearRatio = options.nearTimeoutRatio ?? 0.8;
  const observer = options.observer ?? {};
  // Not a race of its own: every layer below that waits (the token check, the limiter, the handler) races its wait
  // against `call.aborted`, so the chain settles as soon as the timer aborts the call.
  return (call, next) => {
    const methodTimeout = timeoutOf(call.rpc);
    const startedWall = Date.now() - (performance.now() - call.startedAt);
    call.deadline = Math.min(startedWall + methodTimeout, call.clientDeadline);
    const limit = call.deadline - startedWall;
    let timedOut = false;
    const expire = () => {
      timedOut = true;
      const elapsed = performance.now() - call.startedAt;
      observer.onTimeout?.(call.path, elapsed / 1000);
      call.abort(
        new AppError(
          'DEADLINE_EXCEEDED',
          `request timeout after ${formatGoDuration(elapsed)} (limit: ${formatGoDuration(limit)})`,
        ),
      );
    };
    const timer = setTimeout(expire, Math.max(0, call.deadline - Date.now()));
    const finish = () => {
      clearTimeout(timer);
      const elapsed = performance.now() - call.startedAt;
      if (!timedOut && !call.cancelled && elapsed > nearRatio * methodTimeout) {
        observer.onNearTimeout?.(call.path);
        logger.warn(
          { method: call.path, request_id: call.requestId, elapsed_ms: Math.round(elapsed), timeout_ms: methodTimeout },
          'grpc call near its timeout',
        );
      }
    };
    return settled(next, call).then(
      (response) => {
        finish();
        return response;
      },
      (error: unknown) => {
        finish();
        throw error;
      },
    );
  };
}
