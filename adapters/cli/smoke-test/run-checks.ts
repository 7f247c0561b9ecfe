import { type Check, CheckFailure, type CheckResult, CheckSkipped } from './check.ts';

export interface RunOptions {
  /** Deadline of one attempt of a check, unless the check sets its own. */
  readonly timeoutMs: number;
  /** Extra attempts of a retryable check that failed (a service still starting). */
  readonly retries: number;
  /** Pause between attempts. */
  readonly retryPauseMs: number;
  /** The run's overall deadline and interruption: once aborted, the check in flight fails and no other starts. */
  readonly signal: AbortSignal;
  /** A failure ends the sequence (canary steps build on each other); the rest are reported as not run. */
  readonly stopOnFailure: boolean;
  /** Called as each check finishes, for progress output. */
  readonly onResult?: (result: CheckResult) => void;
}

/** Runs checks one after another, each timed, bounded and reported; never throws. */
export async function runChecks(checks: readonly Check[], options: RunOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let stoppedBy: string | undefined;
  for (const check of checks) {
    const result =
      stoppedBy !== undefined
        ? notRun(check, stoppedBy)
        : options.signal.aborted
          ? notRun(check, abortReason(options.signal))
          : await runOne(check, options);
    results.push(result);
    options.onResult?.(result);
    if (result.status === 'failed' && options.stopOnFailure && stoppedBy === undefined) {
      stoppedBy = `${check.name} failed`;
    }
  }
  return results;
}

/** Runs one check outside any run (the canary's cleanup): its own timeout only, so it runs after the deadline. */
export function runAlone(check: Check, timeoutMs: number): Promise<CheckResult> {
  return runOne(check, {
    timeoutMs,
    retries: 0,
    retryPauseMs: 0,
    signal: new AbortController().signal,
    stopOnFailure: false,
  });
}

async function runOne(check: Check, options: RunOptions): Promise<CheckResult> {
  const started = performance.now();
  const maxAttempts = check.retryable ? 1 + options.retries : 1;
  let attempts = 0;
  for (;;) {
    attempts++;
    const outcome = await attempt(check, check.timeoutMs ?? options.timeoutMs, options.signal);
    const durationMs = Math.round(performance.now() - started);
    if (outcome.ok) return { name: check.name, status: 'passed', durationMs, attempts, ...outcome.value };
    if (outcome.error instanceof CheckSkipped) {
      return { name: check.name, status: 'skipped', durationMs, attempts, message: outcome.error.message };
    }
    const failure = asFailure(outcome.error);
    if (attempts >= maxAttempts || options.signal.aborted || !(await pause(options.retryPauseMs, options.signal))) {
      return {
        name: check.name,
        status: 'failed',
        kind: failure.kind,
        durationMs,
        attempts,
        message: failure.message,
        ...(Object.keys(failure.details).length > 0 ? { details: failure.details } : {}),
      };
    }
  }
}

type Attempt =
  | { ok: true; value: { message: string; details?: Record<string, unknown> } }
  | { ok: false; error: unknown };

/**
 * One attempt, raced against its timeout and the run's signal: a check that ignores its signal (a library call
 * with its own timers) still ends on time.
 */
async function attempt(check: Check, timeoutMs: number, runSignal: AbortSignal): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([runSignal, timeout]);
  let onAbort = () => {};
  const aborted = new Promise<Attempt>((resolve) => {
    onAbort = () => {
      const why = runSignal.aborted ? abortReason(runSignal) : `no answer within ${formatMs(timeoutMs)}`;
      resolve({ ok: false, error: new CheckFailure(runSignal.aborted ? 'failed' : 'unreachable', why) });
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const ran = check.run({ signal }).then(
    (value): Attempt => ({ ok: true, value }),
    (error: unknown): Attempt => ({ ok: false, error }),
  );
  try {
    return await Promise.race([ran, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function asFailure(error: unknown): CheckFailure {
  if (error instanceof CheckFailure) return error;
  return new CheckFailure('failed', `unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}

function notRun(check: Check, why: string): CheckResult {
  return { name: check.name, status: 'skipped', durationMs: 0, attempts: 0, message: `not run: ${why}` };
}

function abortReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'the run was stopped';
}

/** Resolves false when the run is aborted during the pause. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
