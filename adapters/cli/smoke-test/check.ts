/**
 * The unit of a smoke test: a named check that either returns what it saw or throws a {@link CheckFailure}
 * saying why and of which kind. The kind decides the exit code (see exit-status.ts): a server that cannot be
 * reached is a different problem for an operator than a server that answers wrongly.
 */

/** `failed`: the server answered, wrongly. `unreachable`: no answer at all. `auth`: our token was refused. */
export type FailureKind = 'failed' | 'unreachable' | 'auth';

export class CheckFailure extends Error {
  readonly kind: FailureKind;
  readonly details: Record<string, unknown>;

  constructor(kind: FailureKind, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CheckFailure';
    this.kind = kind;
    this.details = details;
  }
}

/** What a check passes back: one line for the report, and figures for `--json`. */
export interface CheckOutcome {
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface CheckContext {
  /** Aborted when the check's own timeout or the run's overall deadline passes, or on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

export interface Check {
  /** Stable dotted name (`rest.readiness`, `canary.create`): scripts and JUnit reports key on it. */
  readonly name: string;
  /** Retried under `--retries` (read-only checks); canary steps are not, a write may have happened. */
  readonly retryable: boolean;
  /** Overrides the per-check timeout (the search wait is bounded by `--search-wait` instead). */
  readonly timeoutMs?: number;
  run(context: CheckContext): Promise<CheckOutcome>;
}

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly kind?: FailureKind;
  readonly durationMs: number;
  readonly attempts: number;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** Thrown by a check that does not apply to this server (search not configured): reported as skipped. */
export class CheckSkipped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckSkipped';
  }
}
