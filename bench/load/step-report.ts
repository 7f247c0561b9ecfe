import { OPERATIONS, type Operation, TRANSPORTS, type Transport } from './mix.ts';
import type { StepRun } from './open-loop.ts';
import { type LatencyStats, latencyStats, SLO, type Slo, sloVerdict } from './slo.ts';

/** One step as reported (table, chart and JSON). */
export interface StepReport {
  readonly step: number;
  /** Offered requests per second. */
  readonly rate: number;
  readonly durationMs: number;
  readonly completedPerSec: number;
  readonly maxSendLagMs: number;
  /** `os.loadavg()` when the step ended: the shared machine's load during it. */
  readonly loadAverage: readonly number[];
  readonly held: boolean;
  readonly breaches: readonly string[];
  readonly overall: LatencyStats;
  readonly byOperation: Partial<Record<Operation, LatencyStats>>;
  readonly byTransport: Partial<Record<Transport, LatencyStats>>;
  readonly details: Partial<Record<Operation, readonly string[]>>;
}

export function stepReport(step: number, run: StepRun, loadAverage: readonly number[], slo: Slo = SLO): StepReport {
  const verdict = sloVerdict(run.samples, slo);
  const byTransport: Partial<Record<Transport, LatencyStats>> = {};
  for (const transport of TRANSPORTS) {
    const own = run.samples.filter((s) => s.transport === transport);
    if (own.length > 0) byTransport[transport] = latencyStats(own);
  }
  return {
    step,
    rate: run.rate,
    durationMs: run.durationMs,
    completedPerSec: run.completedPerSec,
    maxSendLagMs: run.maxSendLagMs,
    loadAverage,
    held: verdict.held,
    breaches: verdict.breaches,
    overall: verdict.overall,
    byOperation: Object.fromEntries(verdict.byOperation),
    byTransport,
    details: Object.fromEntries(run.details),
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '-');

/** Every step: a line for all requests, then one per operation and per transport; breaches under each step. */
export function formatStepTable(steps: readonly StepReport[], slo: Slo = SLO): string {
  const header =
    `${'step'.padStart(4)}  ${'rate/s'.padStart(6)}  ${'done/s'.padStart(7)}  ${'requests'.padEnd(16)}` +
    `${'n'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ` +
    `${'max ms'.padStart(7)}  ${'fail'.padStart(5)}  ${'4xx'.padStart(5)}  SLO p95/p99 ms`;
  const lines = [header, '-'.repeat(header.length)];
  for (const step of steps) {
    const row = (first: boolean, label: string, stats: LatencyStats, objective: string) =>
      `${(first ? String(step.step) : '').padStart(4)}  ${(first ? String(step.rate) : '').padStart(6)}  ` +
      `${(first ? step.completedPerSec.toFixed(1) : '').padStart(7)}  ${label.padEnd(16)}` +
      `${String(stats.count).padStart(7)}  ${ms(stats.p50Ms).padStart(7)}  ${ms(stats.p95Ms).padStart(7)}  ` +
      `${ms(stats.p99Ms).padStart(7)}  ${ms(stats.maxMs).padStart(7)}  ${String(stats.failures).padStart(5)}  ` +
      `${String(stats.clientErrors).padStart(5)}  ${objective}`.trimEnd();
    const held = step.held ? 'HELD' : 'BROKEN';
    lines.push(row(true, 'all', step.overall, `${slo.overall.p95Ms}/${slo.overall.p99Ms}  ${held}`));
    for (const operation of OPERATIONS) {
      const stats = step.byOperation[operation];
      const objective = slo.perOperation[operation];
      if (stats !== undefined) lines.push(row(false, operation, stats, `${objective.p95Ms}/${objective.p99Ms}`));
    }
    for (const transport of TRANSPORTS) {
      const stats = step.byTransport[transport];
      if (stats !== undefined) lines.push(row(false, `(${transport})`, stats, ''));
    }
    const facts =
      `generator lag max ${ms(step.maxSendLagMs)} ms, load average ` +
      `${step.loadAverage.map((l) => l.toFixed(2)).join(' ')}`;
    lines.push(`${''.padStart(24)}${facts}`);
    for (const breach of step.breaches) lines.push(`${''.padStart(24)}breach: ${breach}`);
    for (const [operation, details] of Object.entries(step.details)) {
      for (const detail of details ?? []) lines.push(`${''.padStart(24)}${operation} ${detail}`);
    }
  }
  return lines.join('\n');
}

/** Columns per decade of the chart's logarithmic latency axis, from 1 ms to 10 s. */
const PER_DECADE = 12;
const DECADES = 4;

function column(latencyMs: number): number {
  const clamped = Math.min(Math.max(latencyMs, 1), 10 ** DECADES);
  return Math.round(PER_DECADE * Math.log10(clamped));
}

/**
 * A text chart, one bar per step: `=` up to its p95, `-` on to its p99, on a logarithmic axis from 1 ms to 10 s,
 * with `|` where the overall SLO's p95 (1 s) and p99 (2 s) limits fall.
 */
export function formatChart(steps: readonly StepReport[], slo: Slo = SLO): string {
  const width = PER_DECADE * DECADES + 1;
  const limits = [column(slo.overall.p95Ms), column(slo.overall.p99Ms)];
  const axis = Array.from({ length: width }, () => ' ');
  ['1ms', '10ms', '100ms', '1s', '10s'].forEach((label, decade) => {
    const at = Math.min(decade * PER_DECADE, width - label.length);
    for (let i = 0; i < label.length; i++) axis[at + i] = label.charAt(i);
  });
  const lines = [
    `p95 (=) and p99 (-) of all requests per step; log scale; | = SLO limits p95 ${slo.overall.p95Ms} ms, p99 ${slo.overall.p99Ms} ms`,
    `${'rate/s'.padStart(7)}  ${axis.join('')}`,
  ];
  for (const step of steps) {
    const bar = Array.from({ length: width }, () => ' ');
    const p95 = Number.isFinite(step.overall.p95Ms) ? column(step.overall.p95Ms) : 0;
    const p99 = Number.isFinite(step.overall.p99Ms) ? column(step.overall.p99Ms) : 0;
    for (let i = 0; i < width; i++) {
      if (i < p95) bar[i] = '=';
      else if (i < p99) bar[i] = '-';
    }
    for (const limit of limits) if (bar[limit] === ' ') bar[limit] = '|';
    const verdict = step.held
      ? 'held'
      : `BROKEN (${step.breaches.length} breach${step.breaches.length === 1 ? '' : 'es'})`;
    lines.push(
      `${String(step.rate).padStart(7)}  ${bar.join('')}  p95 ${ms(step.overall.p95Ms)}, p99 ${ms(step.overall.p99Ms)} ms  ${verdict}`,
    );
  }
  return lines.join('\n');
}
