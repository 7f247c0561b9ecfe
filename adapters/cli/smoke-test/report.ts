import type { CheckResult } from './check.ts';
import { formatMs } from './run-checks.ts';

export type Verdict = 'passed' | 'failed' | 'unreachable' | 'auth' | 'interrupted';

/** The `--json` document (one on stdout). Field names are part of the interface: scripts read them. */
export interface SmokeReport {
  readonly verdict: Verdict;
  readonly exitCode: number;
  readonly target: { readonly http: string; readonly grpc: string };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly checks: readonly CheckResult[];
  /** With the write canary: its run id, listing id, index lag, and whether it is gone. */
  readonly canary?: {
    readonly runId: string;
    readonly listingId?: number;
    readonly indexLagMs?: number;
    readonly removed: boolean;
  };
}

/**
 * The worst outcome decides: an interruption, then a server we could not reach (exit 3: fix the target, the
 * other failures are likely its consequence), then a refused token (also exit 3, as every command maps
 * authentication), then any failed check (exit 1).
 */
export function verdictOf(results: readonly CheckResult[], interrupted: boolean): Verdict {
  if (interrupted) return 'interrupted';
  const failed = results.filter((result) => result.status === 'failed');
  if (failed.some((result) => result.kind === 'unreachable')) return 'unreachable';
  if (failed.some((result) => result.kind === 'auth')) return 'auth';
  return failed.length > 0 ? 'failed' : 'passed';
}

export function summaryOf(results: readonly CheckResult[]): SmokeReport['summary'] {
  const count = (status: CheckResult['status']) => results.filter((result) => result.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

const MARK = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

/** One line of the human table, printed as each check finishes. */
export function resultLine(result: CheckResult): string {
  const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : '';
  return `${MARK[result.status]}  ${result.name.padEnd(20)} ${formatMs(result.durationMs).padStart(8)}  ${result.message}${attempts}`;
}

export function summaryText(report: SmokeReport): string {
  const { passed, failed, skipped } = report.summary;
  const lines = [
    '',
    `${report.verdict === 'passed' ? 'PASSED' : 'FAILED'}: ${passed} passed, ${failed} failed, ${skipped} skipped in ${formatMs(report.durationMs)} against ${report.target.http} and ${report.target.grpc}`,
  ];
  const failures = report.checks.filter((result) => result.status === 'failed').map((result) => result.name);
  if (failures.length > 0) lines.push(`failed: ${failures.join(', ')}`);
  if (report.verdict === 'unreachable') lines.push('the target could not be reached (exit 3)');
  if (report.verdict === 'auth') lines.push('the token was refused (exit 3)');
  if (report.canary?.indexLagMs !== undefined) lines.push(`index lag: ${report.canary.indexLagMs} ms`);
  if (report.canary && !report.canary.removed && report.canary.listingId !== undefined) {
    lines.push(`canary listing ${report.canary.listingId} may be left: run \`listings smoke-test --cleanup\``);
  }
  return lines.join('\n');
}

/** A JUnit XML report (`--junit <file>`): one testsuite, one testcase per check, as CI systems read them. */
export function junitXml(report: SmokeReport): string {
  const cases = report.checks.map((result) => {
    const open = `  <testcase classname="listings.smoke-test" name="${xml(result.name)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
    if (result.status === 'passed') return `${open}><system-out>${xml(result.message)}</system-out></testcase>`;
    if (result.status === 'skipped') return `${open}><skipped message="${xml(result.message)}"/></testcase>`;
    return `${open}><failure message="${xml(result.message)}" type="${result.kind ?? 'failed'}"/></testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="listings smoke-test" tests="${report.checks.length}" failures="${report.summary.failed}" skipped="${report.summary.skipped}" time="${(report.durationMs / 1000).toFixed(3)}" timestamp="${report.startedAt}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return (
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}
