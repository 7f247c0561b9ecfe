import type { IndexWorkerObserver } from '../../src/indexing/index-worker-observer.ts';
import type { MetricSet } from '../prometheus/metric-set.ts';

/**
 * The worker's observations as the `listings_indexing_*` metrics of metric-set.ts. Job status keeps the original's
 * two values (`success`, `failed`) plus `lease_lost`; the queue size counts every job not yet done (pending,
 * processing and failed-awaiting-retry), dead letters apart. Engine availability is passed on (no metric of its own).
 */
export function prometheusWorkerObserver(
  metrics: MetricSet,
  /** Also told when the engine stops or starts answering (search reads fail over on it). */
  engineAvailability: (available: boolean) => void = () => {},
): IndexWorkerObserver {
  return {
    jobSettled(event) {
      const status =
        event.outcome === 'completed' ? 'success' : event.outcome === 'lease_lost' ? 'lease_lost' : 'failed';
      metrics.indexingJobs.inc({ operation: event.operation, status });
      if (event.lagSeconds !== undefined) metrics.indexingLag.observe(event.lagSeconds);
    },
    batchProcessed: (event) => metrics.indexingJobDuration.observe(event.seconds),
    bulkSent: (event) => metrics.indexingBatches.inc({ outcome: event.outcome }),
    queueStats(stats) {
      metrics.indexingQueueSize.set(stats.pending + stats.processing + stats.failed);
      metrics.indexingOldestPendingSeconds.set((stats.oldestDueAgeMs ?? 0) / 1000);
      metrics.indexingDeadLetters.set(stats.dead);
    },
    error: (errorType) => metrics.errors.inc({ component: 'worker', error_type: errorType }),
    engineAvailability,
  };
}
