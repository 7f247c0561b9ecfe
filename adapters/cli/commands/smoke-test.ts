import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { AppError, type ErrorCode } from '../../../src/domain/errors.ts';
import { parseDuration } from '../../config/duration.ts';
import type { CommandContext } from '../context.ts';
import type { SmokeReport, Verdict } from '../smoke-test/report.ts';

/** Where the canary's token may come from instead of `--token` (a flag is visible in `ps`). */
export const TOKEN_VARIABLE = 'SVETULISTINGS_SMOKE_TOKEN';

interface SmokeTestFlags {
  readonly httpUrl: string;
  readonly grpcAddress: string;
  readonly writeCanary: boolean;
  readonly token?: string;
  readonly cleanup?: boolean;
  readonly listingId?: string;
  readonly expectVersion?: string;
  readonly canaryCategoryId?: string;
  readonly timeout: string;
  readonly totalTimeout: string;
  readonly searchWait: string;
  readonly retries: string;
  readonly junit?: string;
}

const ERROR_OF: Record<Exclude<Verdict, 'passed'>, ErrorCode> = {
  failed: 'CHECK_FAILED',
  unreachable: 'DEPENDENCY_UNAVAILABLE',
  auth: 'UNAUTHENTICATED',
  interrupted: 'INTERRUPTED',
};

/**
 * `listings smoke-test`: after a deploy, probe the service from outside as its clients do (ops-scripts.md §3.4),
 * with a write canary that cleans up after itself. Exit 0 all passed, 1 a check failed, 2 usage, 3 the target
 * is unreachable or refused the token, 130 interrupted (the canary is still removed).
 */
export function registerSmokeTestCommand(program: Command, context: () => CommandContext): void {
  program
    .command('smoke-test')
    .description('after a deploy: probe REST and gRPC, read a known listing, and write then delete a canary listing')
    .option('--http-url <url>', 'REST base URL', 'http://localhost:8086')
    .option('--grpc-address <host:port>', 'gRPC address', 'localhost:50053')
    .addOption(new Option('--no-write-canary', 'read-only checks: no token needed, nothing written'))
    .option('--token <jwt>', `the canary user's bearer token (or ${TOKEN_VARIABLE}); its numeric sub owns the canary`)
    .option('--cleanup', 'only remove every canary listing of the token user (after a crashed run), then exit')
    .option('--listing-id <id>', 'a known listing that must read the same over REST and gRPC')
    .option('--expect-version <version>', 'fail unless the server reports this version')
    .option('--canary-category-id <id>', 'category of the canary listing (default: the first the API lists)')
    .option('--timeout <duration>', 'deadline of each check (each attempt)', '10s')
    .option('--total-timeout <duration>', 'deadline of the whole run (the cleanup still runs after it)', '60s')
    .option('--search-wait <duration>', 'how long the canary may take to appear in (and leave) search', '30s')
    .option('--retries <n>', 'extra attempts of a failed read-only check, 1 s apart (a service still starting)', '0')
    .option('--junit <file>', 'also write a JUnit XML report')
    .action(async (flags: SmokeTestFlags) => {
      const ctx = context();
      const token = flags.token ?? process.env[TOKEN_VARIABLE];
      const wantsCanary = flags.writeCanary || flags.cleanup === true;
      if (wantsCanary && !token) {
        throw new AppError(
          'USAGE_INVALID',
          `the write canary needs a token: --token or ${TOKEN_VARIABLE} (a user token: numeric sub, no role needed), or --no-write-canary for read-only checks`,
        );
      }
      // Loaded here, not at the top: registering the command must not load the gRPC client and its protobufs.
      const [{ tokenUserId }, { junitXml, resultLine, summaryText }, { runSmokeTest }] = await Promise.all([
        import('../smoke-test/canary-sweep.ts'),
        import('../smoke-test/report.ts'),
        import('../smoke-test/run-smoke-test.ts'),
      ]);
      const interrupt = new AbortController();
      const onSignal = () => interrupt.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let report: SmokeReport;
      try {
        report = await runSmokeTest({
          httpUrl: url(flags.httpUrl),
          grpcAddress: grpcAddress(flags.grpcAddress),
          timeoutMs: duration('--timeout', flags.timeout),
          totalTimeoutMs: duration('--total-timeout', flags.totalTimeout),
          searchWaitMs: duration('--search-wait', flags.searchWait),
          retries: whole('--retries', flags.retries),
          listingId: flags.listingId === undefined ? undefined : whole('--listing-id', flags.listingId),
          expectVersion: flags.expectVersion,
          canary:
            wantsCanary && token
              ? {
                  token,
                  userId: tokenUserId(token),
                  categoryId:
                    flags.canaryCategoryId === undefined
                      ? undefined
                      : whole('--canary-category-id', flags.canaryCategoryId),
                }
              : undefined,
          cleanupOnly: flags.cleanup === true,
          interrupt: interrupt.signal,
          onResult: (result) => {
            // Progress as checks finish: the table on stdout for people, JSON lines on stderr next to --json.
            if (ctx.output.json) process.stderr.write(`${JSON.stringify({ check: result })}\n`);
            else ctx.output.result(resultLine(result));
          },
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (flags.junit) await writeFile(flags.junit, junitXml(report));
      if (ctx.output.json) ctx.output.result(report);
      else ctx.output.result(summaryText(report));
      if (report.verdict !== 'passed') {
        const failed = report.checks.filter((check) => check.status === 'failed').map((check) => check.name);
        const what = report.verdict === 'interrupted' ? 'interrupted' : `failed: ${failed.join(', ')}`;
        throw new AppError(ERROR_OF[report.verdict], `smoke test ${what}`, { details: { reported: true } });
      }
    });
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new AppError('USAGE_INVALID', `${flag} must be a duration such as 500ms, 10s or 1m, got "${text}"`);
  }
  return ms;
}

function whole(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new AppError('USAGE_INVALID', `${flag} must be a whole number, got "${text}"`);
  }
  return value;
}

function url(text: string): string {
  try {
    const parsed = new URL(text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return text;
  } catch {
    // Reported below.
  }
  throw new AppError('USAGE_INVALID', `--http-url must be an http(s) URL, got "${text}"`);
}

/** `host:port` or `[ipv6]:port`, as grpc-js dials it; a missing port would otherwise fail as "unreachable". */
function grpcAddress(text: string): string {
  if (/^(?:\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(text)) return text;
  throw new AppError('USAGE_INVALID', `--grpc-address must be host:port, got "${text}"`);
}
