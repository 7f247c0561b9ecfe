import type { Command } from 'commander';
import { AppError } from '../../../src/domain/errors.ts';
import type { CommandContext } from '../context.ts';
import { describeVerifyReport } from './migrate-from-monolith-verify-describe.ts';

interface VerifyOptions {
  /** --source, --target and --batch-size are the parent command's options (it parses them wherever they stand). */
  readonly source: string;
  readonly target?: string;
  readonly batchSize: string;
  readonly run?: string;
  readonly sample: string;
  readonly seed: string;
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value > max) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number up to ${max}, got "${text}"`);
  }
  return value;
}

/**
 * `listings migrate-from-monolith verify`: compares the monolith with what the last completed run (or `--run`)
 * left in the target (reference monolith.md §4.8), read-only on both sides. Summary or `--json` on stdout;
 * exit 0 when nothing differs, 1 on any difference, 3 when a database is unreachable, 4 without a completed run.
 */
export function registerMigrateFromMonolithVerifyCommand(program: Command, context: () => CommandContext): void {
  const parent = program.commands.find((command) => command.name() === 'migrate-from-monolith');
  if (parent === undefined) throw new Error('register migrate-from-monolith before its verify subcommand');
  parent
    .command('verify')
    .description(
      'compare the monolith with the target after a run: counts per table, status matrix, sums, id sets and ' +
        'key-column checksums per bucket of 10,000 ids (mismatches drilled down to rows), and a seeded sample of ' +
        'listings field by field; read-only on both sides',
    )
    .option('--run <run_id>', 'the run to verify (default: the last completed run)')
    .option('--sample <n>', 'listings compared field by field (all when fewer)', '1000')
    .option('--seed <n>', 'seed of the sample', '1')
    .addHelpText(
      'after',
      '\nTakes --source, --target and --batch-size of migrate-from-monolith, e.g.\n' +
        '  listings migrate-from-monolith verify --source postgres://…/monolith --target postgres://…/listings --json',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = context();
      const options = command.optsWithGlobals<VerifyOptions>();
      const request = {
        runId: options.run ?? null,
        sampleSize: wholeNumber('--sample', options.sample, 10_000_000),
        seed: wholeNumber('--seed', options.seed, 2 ** 32 - 1),
        batchSize: wholeNumber('--batch-size', options.batchSize, 1_000_000),
        onProgress: (p: { layer: string; table?: string }) => {
          if (process.stderr.isTTY) process.stderr.write(`\rverify: ${p.layer}${p.table ? ` ${p.table}` : ''}\x1b[K`);
        },
      };
      const { config } = ctx.config();
      // Loaded here, not at the top: registering the command must not load the database drivers.
      const { buildMonolithVerification } = await import('../../composition/monolith-verification.ts');
      const verification = await buildMonolithVerification({ source: options.source, target: options.target, config });
      let report: Awaited<ReturnType<typeof verification.verify.execute>>;
      try {
        report = await verification.verify.execute(request);
      } finally {
        if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
        await verification.close();
      }
      const zone =
        command.parent?.getOptionValueSource('sourceZone') === 'cli' ? command.parent.opts().sourceZone : null;
      if (zone !== null && zone !== report.zones.source_zone) {
        process.stderr.write(
          `listings: warning: --source-zone ${zone} ignored: verify reads naive times as the run did (${report.zones.source_zone})\n`,
        );
      }
      ctx.output.result(report, () => describeVerifyReport(report));
      if (!report.ok) {
        throw new AppError('CHECK_FAILED', `verify found ${report.differences_total} difference(s)`, {
          details: { reported: true },
        });
      }
    });
}
