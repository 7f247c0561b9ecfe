import type { LoadResult } from './load.ts';

/** A figure of ours against a baseline measured in the same run, and the target the issue sets. */
export interface Comparison {
  readonly what: string;
  /** `ratio`: ours.opsPerSec / baseline.opsPerSec >= min. `p99`: ours.p99Ms < maxMs. */
  readonly check:
    | { readonly kind: 'ratio'; readonly ours: string; readonly baseline: string; readonly min: number }
    | { readonly kind: 'p99'; readonly ours: string; readonly maxMs: number }
    | { readonly kind: 'none'; readonly ours: string; readonly baseline: string };
}

export interface BenchReport {
  readonly title: string;
  readonly setup: string;
  readonly rows: readonly LoadResult[];
  readonly comparisons: readonly Comparison[];
  /** Lines printed under the table: per-round figures, measured side facts (cache hits, Redis commands). */
  readonly notes?: readonly string[];
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function row(results: readonly LoadResult[], label: string): LoadResult {
  const found = results.find((r) => r.label === label);
  if (found === undefined) throw new Error(`no result labelled ${label}`);
  return found;
}

function comparisonLine(report: BenchReport, comparison: Comparison): string {
  const { check } = comparison;
  const ours = row(report.rows, check.ours);
  if (check.kind === 'p99') {
    const mark = ours.p99Ms < check.maxMs ? 'PASS' : 'BELOW';
    return `  ${comparison.what}: p99 ${fixed(ours.p99Ms, 2)} ms, target < ${check.maxMs} ms  ${mark}`;
  }
  const baseline = row(report.rows, check.baseline);
  const ratio = ours.opsPerSec / baseline.opsPerSec;
  const pct = `${fixed(ratio * 100, 1)} %`;
  if (check.kind === 'none') return `  ${comparison.what}: ${pct} of baseline (no target stated)`;
  const mark = ratio >= check.min ? 'PASS' : 'BELOW';
  return `  ${comparison.what}: ${pct} of baseline, target >= ${fixed(check.min * 100, 0)} %  ${mark}`;
}

/** The table of one benchmark: every row side by side, then ratio / target / marker lines. */
export function formatReport(report: BenchReport): string {
  const labelWidth = Math.max(9, ...report.rows.map((r) => r.label.length));
  const header = `  ${'run'.padEnd(labelWidth)}  ${'ops/s'.padStart(10)}  ${'p50 ms'.padStart(8)}  ${'p99 ms'.padStart(8)}  ${'errors'.padStart(6)}`;
  const lines = [
    `== ${report.title}`,
    `   ${report.setup}`,
    header,
    `  ${'-'.repeat(header.length - 2)}`,
    ...report.rows.map(
      (r) =>
        `  ${r.label.padEnd(labelWidth)}  ${fixed(r.opsPerSec, 0).padStart(10)}  ${fixed(r.p50Ms, 2).padStart(8)}  ${fixed(r.p99Ms, 2).padStart(8)}  ${String(r.errors).padStart(6)}`,
    ),
    ...report.comparisons.map((c) => comparisonLine(report, c)),
    ...(report.notes ?? []).map((note) => `  - ${note}`),
  ];
  return `${lines.join('\n')}\n`;
}
