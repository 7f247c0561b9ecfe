import type { OutboxStats } from '../../../ports/index-outbox.ts';
import type { Logger } from '../../../ports/logger.ts';
import type {
  BulkSent,
  IndexWorkerObserver,
  JobSettled,
  WorkerErrorType,
} from '../../../src/indexing/index-worker-observer.ts';

/** Every observation, in order. */
export class RecordingObserver implements IndexWorkerObserver {
  readonly jobs: JobSettled[] = [];
  readonly bulks: BulkSent[] = [];
  readonly batches: { jobs: number; seconds: number }[] = [];
  readonly stats: OutboxStats[] = [];
  readonly errors: WorkerErrorType[] = [];
  readonly availability: boolean[] = [];
  jobSettled(event: JobSettled): void {
    this.jobs.push(event);
  }
  batchProcessed(event: { jobs: number; seconds: number }): void {
    this.batches.push(event);
  }
  bulkSent(event: BulkSent): void {
    this.bulks.push(event);
  }
  queueStats(stats: OutboxStats): void {
    this.stats.push(stats);
  }
  error(errorType: WorkerErrorType): void {
    this.errors.push(errorType);
  }
  engineAvailability(available: boolean): void {
    this.availability.push(available);
  }
}

/** A Logger that keeps its lines (tests read warnings; nothing is printed). */
export function recordingLogger(lines: { level: string; message: string; fields: Record<string, unknown> }[] = []) {
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger & { lines: typeof lines } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
