import { createListingsClient } from '../../grpc/client/index.ts';
import { EXIT } from '../exit-codes.ts';
import { type CanaryState, canaryChecks, canaryCleanupCheck } from './canary-checks.ts';
import { sweepCanaries } from './canary-sweep.ts';
import { newCanaryTag } from './canary-tag.ts';
import type { Check, CheckResult } from './check.ts';
import { grpcChecks, knownListingCheck } from './grpc-checks.ts';
import { type SmokeReport, summaryOf, type Verdict, verdictOf } from './report.ts';
import { restChecks } from './rest-checks.ts';
import { RestClient } from './rest-client.ts';
import { formatMs, runAlone, runChecks } from './run-checks.ts';

export interface SmokeTestOptions {
  readonly httpUrl: string;
  readonly grpcAddress: string;
  readonly timeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly retries: number;
  readonly searchWaitMs: number;
  readonly listingId?: number | undefined;
  readonly expectVersion?: string | undefined;
  /** The write canary's owner; absent for read-only runs. */
  readonly canary?: { readonly token: string; readonly userId: number; readonly categoryId?: number | undefined };
  /** Only remove every canary of the owner (`--cleanup`), no other check. */
  readonly cleanupOnly: boolean;
  /** Aborted on SIGINT/SIGTERM: the check in flight fails, the rest are not run, the cleanup still runs. */
  readonly interrupt: AbortSignal;
  readonly onResult?: (result: CheckResult) => void;
}

export const EXIT_OF: Record<Verdict, number> = {
  passed: EXIT.OK,
  failed: EXIT.CHECK_FAILED,
  unreachable: EXIT.UNAVAILABLE,
  auth: EXIT.UNAVAILABLE,
  interrupted: EXIT.INTERRUPTED,
};

/**
 * Runs the checks of ops-scripts.md §3.4 against a deployed service, as its client: read-only probes first (all
 * of them, whatever fails), then the write canary step by step, then the canary's cleanup, which runs even past
 * the overall deadline or after an interruption (bounded by one per-check timeout).
 */
export async function runSmokeTest(options: SmokeTestOptions): Promise<SmokeReport> {
  const startedAt = new Date();
  const started = performance.now();
  const run = new AbortController();
  const deadline = setTimeout(
    () => run.abort(`the overall deadline of ${formatMs(options.totalTimeoutMs)} passed`),
    options.totalTimeoutMs,
  );
  const onInterrupt = () => run.abort('interrupted');
  options.interrupt.addEventListener('abort', onInterrupt, { once: true });

  const rest = new RestClient(options.httpUrl);
  const grpc = createListingsClient(options.grpcAddress, {
    ...(options.canary ? { token: options.canary.token } : {}),
    deadlineMs: options.timeoutMs,
    // One attempt per call: --retries decides, and an unreachable port must fail within the check's timeout.
    retries: { maxAttempts: 1 },
  });
  const base = { timeoutMs: options.timeoutMs, retries: options.retries, retryPauseMs: 1_000, signal: run.signal };
  const run_ = (checks: Check[], stopOnFailure: boolean) =>
    runChecks(checks, { ...base, stopOnFailure, ...(options.onResult ? { onResult: options.onResult } : {}) });
  const results: CheckResult[] = [];
  let canary: SmokeReport['canary'];
  try {
    if (options.cleanupOnly) {
      results.push(...(await run_([cleanupAllCheck(rest, options)], false)));
    } else {
      const readOnly = [
        ...restChecks(rest, options),
        ...grpcChecks({ address: options.grpcAddress, deadlineMs: options.timeoutMs }),
      ];
      if (options.listingId !== undefined) {
        readOnly.push(knownListingCheck(rest, grpc, options.grpcAddress, options.listingId));
      }
      results.push(...(await run_(readOnly, false)));
      if (options.canary) {
        const tag = newCanaryTag(startedAt, options.totalTimeoutMs);
        const state: CanaryState = { createAttempted: false, deleted: false, published: false };
        const canaryOptions = {
          rest,
          grpc,
          grpcAddress: options.grpcAddress,
          owner: { userId: options.canary.userId, token: options.canary.token },
          tag,
          categoryId: options.canary.categoryId,
          searchWaitMs: options.searchWaitMs,
          timeoutMs: options.timeoutMs,
        };
        results.push(...(await run_(canaryChecks(canaryOptions, state), true)));
        const cleanup = await runAlone(canaryCleanupCheck(canaryOptions, state), options.timeoutMs);
        options.onResult?.(cleanup);
        results.push(cleanup);
        canary = {
          runId: tag.runId,
          ...(state.id === undefined ? {} : { listingId: state.id }),
          ...(state.indexLagMs === undefined ? {} : { indexLagMs: state.indexLagMs }),
          removed: !state.createAttempted || state.deleted,
        };
      }
    }
  } finally {
    clearTimeout(deadline);
    options.interrupt.removeEventListener('abort', onInterrupt);
    grpc.close();
  }
  const verdict = verdictOf(results, options.interrupt.aborted);
  return {
    verdict,
    exitCode: EXIT_OF[verdict],
    target: { http: rest.baseUrl.href, grpc: options.grpcAddress },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    summary: summaryOf(results),
    checks: results,
    ...(canary ? { canary } : {}),
  };
}

function cleanupAllCheck(rest: RestClient, options: SmokeTestOptions): Check {
  const owner = options.canary as NonNullable<SmokeTestOptions['canary']>;
  return {
    name: 'canary.cleanup-all',
    retryable: false,
    async run({ signal }) {
      const { removed } = await sweepCanaries(rest, owner, { kind: 'all' }, signal);
      return {
        message: removed.length === 0 ? 'no canary listings found' : `removed canary listings ${removed.join(', ')}`,
        details: { removed },
      };
    },
  };
}
