import type { Command } from 'commander';
import { PREFIX } from '../../config/reader.ts';
import type { CommandContext } from '../context.ts';
import { waitForShutdownSignal } from '../shutdown-signal.ts';

interface ServeOptions {
  readonly httpPort?: string;
  readonly grpcPort?: string;
  readonly metricsPort?: string;
  readonly dataDir?: string;
  readonly migrate?: boolean;
}

function flagsOf(options: ServeOptions): Record<string, string> {
  const flags: Record<string, string> = {};
  if (options.httpPort !== undefined) flags[`${PREFIX}HTTP_PORT`] = options.httpPort;
  if (options.grpcPort !== undefined) flags[`${PREFIX}GRPC_PORT`] = options.grpcPort;
  if (options.metricsPort !== undefined) flags[`${PREFIX}METRICS_PORT`] = options.metricsPort;
  if (options.dataDir !== undefined) flags[`${PREFIX}DATA_DIR`] = options.dataDir;
  return flags;
}

export function registerServeCommand(program: Command, context: () => CommandContext): void {
  program
    .command('serve')
    .description(
      'run the service: REST on 8086, gRPC on 50053, metrics, and the indexing worker. With no configuration it runs ' +
        'whole in one process (PGlite database in --data-dir, in-process cache and rate limiter, PostgreSQL full-text search, local image folder).',
    )
    .option('--http-port <port>', 'REST port (overrides SVETULISTINGS_HTTP_PORT; 0 picks a free port)')
    .option('--grpc-port <port>', 'gRPC port (overrides SVETULISTINGS_GRPC_PORT; 0 picks a free port)')
    .option(
      '--metrics-port <port>',
      'extra /metrics listener (overrides SVETULISTINGS_METRICS_PORT; 0 picks a free port)',
    )
    .option('--migrate', 'apply pending schema migrations before serving (always done for the embedded database)')
    .option('--data-dir <dir>', 'where the embedded database and local images live (overrides SVETULISTINGS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nStops gracefully on SIGTERM or SIGINT: stops taking requests, finishes those in flight, closes pools, and exits 0 within SVETULISTINGS_SHUTDOWN_TIMEOUT (30s); a second signal exits at once with 130.',
    )
    .action(async (options: ServeOptions) => {
      const ctx = context();
      const { config } = ctx.config(flagsOf(options));
      const logger = ctx.logger(config);
      // Loaded here, not at the top: registering the command must not load the servers and drivers.
      const { startService } = await import('../../composition/service.ts');
      const service = await startService({ config, logger, ...(options.migrate ? { autoMigrate: true } : {}) });
      await waitForShutdownSignal(logger, config.shutdownTimeoutMs, (reason) => service.stop(reason));
    });
}
