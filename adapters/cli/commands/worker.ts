import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import { PREFIX } from '../../config/reader.ts';
import type { CommandContext } from '../context.ts';
import { waitForShutdownSignal } from '../shutdown-signal.ts';

interface WorkerOptions {
  readonly concurrency?: string;
  readonly batchSize?: string;
  readonly migrate?: boolean;
  readonly drain?: boolean;
}

/**
 * `listings worker`: only the indexing worker (no REST or gRPC), for deployments that scale indexing apart from
 * serving. Metrics on SVETULISTINGS_METRICS_PORT when set. `--drain` processes every due job once and exits.
 */
export function registerWorkerCommand(program: Command, context: () => CommandContext): void {
  program
    .command('worker')
    .description('run only the indexing worker (no REST or gRPC) until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'claim loops (overrides SVETULISTINGS_WORKER_CONCURRENCY, default 5)')
    .option('--batch-size <n>', 'jobs per claim, 1..1000', '500')
    .option('--migrate', 'apply pending schema migrations first (always done for the embedded database)')
    .option('--drain', 'process every due job once, print the counts and exit (jobs waiting for a retry stay)')
    .addHelpText(
      'after',
      '\nOn SIGTERM or SIGINT the worker finishes the batches in flight (their jobs are completed or failed, never ' +
        'abandoned) and exits 0 within SVETULISTINGS_SHUTDOWN_TIMEOUT; jobs of a killed worker are taken over by ' +
        'another claim when their 30 s lease runs out.',
    )
    .action(async (options: WorkerOptions) => {
      const ctx = context();
      const flags: Record<string, string> = {};
      if (options.concurrency !== undefined) flags[`${PREFIX}WORKER_CONCURRENCY`] = options.concurrency;
      const { config } = ctx.config(flags);
      const logger = ctx.logger(config);
      const batchSize = Number(options.batchSize ?? '500');
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
        throw new AppError(
          'USAGE_INVALID',
          `--batch-size must be a whole number from 1 to 1000, got "${options.batchSize}"`,
        );
      }
      // Loaded here, not at the top: registering the command must not load the drivers.
      const { startWorkerProcess } = await import('./worker-process.ts');
      const running = await startWorkerProcess(config, logger, {
        batchSize,
        autoMigrate: options.migrate === true,
        start: options.drain !== true,
      });
      if (options.drain === true) {
        try {
          const report = await running.worker.drain({ until: 'empty' });
          const stats = await running.worker.refreshStats();
          ctx.output.result({ ...report, queue: stats }, () =>
            [
              `batches: ${report.batches}`,
              `completed: ${report.completed}`,
              `retrying: ${report.retried}`,
              `dead: ${report.dead}`,
              `lease lost: ${report.leaseLost}`,
            ].join('\n'),
          );
        } finally {
          await running.stop();
        }
        return;
      }
      await waitForShutdownSignal(logger, config.shutdownTimeoutMs, () => running.stop());
    });
}
