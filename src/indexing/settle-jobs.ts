/**
 * Recording a batch's outcomes in the outbox: one `completeMany` and one `failMany` per batch, whatever its size,
 * then one observation (and log line for failures) per job.
 */
import type { ClaimedJob, FailOutcome, JobFailureOf } from '../../ports/index-outbox.ts';
import { retryDelayMs } from '../domain/retry-backoff.ts';
import type { IndexBatchDeps, IndexBatchSettings, ItemOutcome } from './index-batch.ts';
import type { JobOutcome } from './index-worker-observer.ts';

/** Records every job's outcome with one `completeMany` and one `failMany` (O(1) statements per batch). */
export async function settleJobs(
  deps: IndexBatchDeps,
  settings: IndexBatchSettings,
  jobs: readonly ClaimedJob[],
  outcomeOf: (job: ClaimedJob) => ItemOutcome,
): Promise<(JobOutcome | 'unsettled')[]> {
  const done = jobs.filter((job) => outcomeOf(job).status === 'done');
  const failures = jobs.flatMap((job): (JobFailureOf & { readonly outcome: FailedOutcome })[] => {
    const outcome = outcomeOf(job);
    if (outcome.status === 'done') return [];
    const retryAt = new Date(deps.clock.now().getTime() + retryDelayMs(job.attempt, deps.random(), settings.backoff));
    const permanent = outcome.status === 'permanent';
    return [{ job, error: `${outcome.status}: ${outcome.reason}`, retryAt, permanent, outcome }];
  });
  const [completed, failed] = await Promise.all([
    recorded(deps, done, () => deps.outbox.completeMany(done)),
    recorded(
      deps,
      failures.map((failure) => failure.job),
      () => deps.outbox.failMany(failures),
    ),
  ]);
  const settled: (JobOutcome | 'unsettled')[] = [];
  done.forEach((job, i) => {
    const flag = completed?.[i];
    if (flag === undefined) settled.push('unsettled');
    else settled.push(completedJob(deps, job, flag));
  });
  failures.forEach((failure, i) => {
    const result = failed?.[i];
    if (result === undefined) settled.push('unsettled');
    else settled.push(failedJob(deps, failure, result));
  });
  return settled;
}

type FailedOutcome = Extract<ItemOutcome, { readonly status: 'retryable' | 'permanent' }>;

/** The outbox's answer, or undefined (logged) when recording failed: the jobs' leases will expire. */
async function recorded<T>(
  deps: IndexBatchDeps,
  jobs: readonly ClaimedJob[],
  write: () => Promise<readonly T[]>,
): Promise<readonly T[] | undefined> {
  if (jobs.length === 0) return [];
  try {
    return await write();
  } catch (error) {
    deps.observer.error('settle_failed');
    deps.logger.warn(
      { err: error, jobs: jobs.length, job_ids: jobs.slice(0, 20).map((job) => job.id) },
      'indexing: recording job outcomes failed; their leases will expire',
    );
    return undefined;
  }
}

function completedJob(deps: IndexBatchDeps, job: ClaimedJob, completed: boolean): JobOutcome {
  if (!completed) {
    deps.observer.jobSettled({ operation: job.operation, outcome: 'lease_lost' });
    return 'lease_lost';
  }
  const lagSeconds = Math.max(0, deps.clock.now().getTime() - job.enqueuedAt.getTime()) / 1000;
  deps.observer.jobSettled({ operation: job.operation, outcome: 'completed', lagSeconds });
  return 'completed';
}

function failedJob(
  deps: IndexBatchDeps,
  failure: JobFailureOf & { readonly outcome: FailedOutcome },
  result: FailOutcome,
): JobOutcome {
  const { observer, logger } = deps;
  const { job, outcome } = failure;
  const fields = { job_id: job.id, listing_id: job.listingId, version: job.version, attempt: job.attempt };
  observer.jobSettled({ operation: job.operation, outcome: result, failure: outcome.status });
  if (result !== 'lease_lost') observer.error(result === 'dead' ? 'job_dead' : 'job_failed');
  if (result === 'dead') {
    logger.error({ ...fields, failure: outcome.status, reason: outcome.reason }, 'indexing: job is a dead letter');
  } else if (result === 'retry') {
    logger.debug(
      { ...fields, reason: outcome.reason, retry_at: failure.retryAt.toISOString() },
      'indexing: job will retry',
    );
  }
  return result;
}
