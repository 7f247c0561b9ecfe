/**
 * Time budget of the long batch RPCs (BulkDeleteProducts, BatchUpdateStock), as the original enforced it: refuse
 * to start with less than 5 s left, and look at the clock and the cancellation signal every 100 items, so a
 * caller that gave up does not keep a transaction and its row locks open.
 */
import type { Clock } from '../../ports/clock.ts';
import { AppError } from '../domain/errors.ts';
import type { CallOptions } from './call-context.ts';

export const MIN_BATCH_TIME_MS = 5_000;
/** Items processed between two looks at the deadline and the signal. */
export const CANCELLATION_CHECK_EVERY = 100;

/** DEADLINE_EXCEEDED `insufficient time remaining for <operation> operation` when less than 5 s are left. */
export function assertTimeForBatch(clock: Clock, options: CallOptions | undefined, operation: string): void {
  assertNotCancelled(clock, options, `insufficient time remaining for ${operation} operation`);
  const deadline = options?.deadline;
  if (deadline !== undefined && deadline - clock.now().getTime() < MIN_BATCH_TIME_MS) {
    throw deadlineExceeded(`insufficient time remaining for ${operation} operation`);
  }
}

/** DEADLINE_EXCEEDED with `message` once the signal is aborted or the deadline has passed. */
export function assertNotCancelled(clock: Clock, options: CallOptions | undefined, message: string): void {
  if (options === undefined) return;
  const expired = options.deadline !== undefined && options.deadline <= clock.now().getTime();
  if (options.signal?.aborted === true || expired) throw deadlineExceeded(message);
}

/** Calls {@link assertNotCancelled} on every 100th index (0 excluded: the start was checked already). */
export function checkEveryHundred(clock: Clock, options: CallOptions | undefined, index: number, message: string) {
  if (index > 0 && index % CANCELLATION_CHECK_EVERY === 0) assertNotCancelled(clock, options, message);
}

function deadlineExceeded(message: string): AppError {
  return new AppError('DEADLINE_EXCEEDED', message);
}
