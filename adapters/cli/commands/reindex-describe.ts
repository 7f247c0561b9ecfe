import type { RebuildReport } from '../../../src/reindex/rebuild-search-index.ts';
import type { RollBackReport } from '../../../src/reindex/roll-back-index.ts';

/** The human summary of a reindex run (stdout without --json). */
export function describeRebuild(report: RebuildReport): string {
  const engine = `${report.engine} index`;
  if (report.dryRun) {
    return [
      `dry run: would build a new ${engine} of ${report.total} searchable listing(s)`,
      `serving now: ${report.previous ?? '(none)'}`,
      ...(report.leftovers.length > 0 ? [`would drop leftover indices: ${report.leftovers.join(', ')}`] : []),
      `dead letters in the outbox: ${report.deadLetters}`,
    ].join('\n');
  }
  const lines = [
    `${report.swapped ? 'swapped' : 'built'} ${report.index}: ${report.documents} document(s) copied of ${report.total}, ` +
      `${report.replayed} listing(s) replayed during the build, ${report.replayedAfterSwap} after the swap`,
    `${(report.durationMs / 1000).toFixed(1)} s (${phaseTimes(report)}); copy at ${report.documentsPerSecond} docs/s, ` +
      `${(report.bytesPerSecond / 1024 / 1024).toFixed(2)} MiB/s`,
  ];
  const check = report.verification;
  if (check !== null) {
    lines.push(
      `verified: ${check.indexed} documents, ${check.expected} searchable listings in PostgreSQL` +
        `${check.countsMatch ? '' : ' (MISMATCH)'}; ${check.sampleChecked} sampled, ` +
        `${check.sampleDifferences.length} differ`,
    );
  }
  if (report.swapped) {
    lines.push(`previous index ${report.previous ?? '(none)'} kept for rollback`);
    if (report.dropped.length > 0) lines.push(`dropped old indices: ${report.dropped.join(', ')}`);
  } else if (report.problems.length === 0) {
    lines.push(`not swapped (--no-swap): ${report.previous ?? '(none)'} still serves`);
  }
  if (report.resumedFrom !== null) lines.push(`resumed after listing ${report.resumedFrom}`);
  if (report.leftovers.length > 0) lines.push(`dropped leftover indices: ${report.leftovers.join(', ')}`);
  for (const failure of report.failures.slice(0, 10)) lines.push(`  failed listing ${failure.id}: ${failure.reason}`);
  if (report.problems.length > 0) {
    lines.push(
      report.swapped ? 'problems:' : `NOT swapped, new index dropped; ${report.previous ?? '(none)'} still serves:`,
    );
    for (const problem of report.problems) lines.push(`  - ${problem}`);
  }
  return lines.join('\n');
}

export function describeRollBack(report: RollBackReport): string {
  if (report.dryRun) return `dry run: would make ${report.to} serve again instead of ${report.from ?? '(none)'}`;
  const lines = [
    `rolled back: ${report.to} serves again (${report.from ?? '(none)'} kept for rollback)`,
    `caught up: ${report.caughtUp.written} document(s) written, ${report.caughtUp.removed} removed`,
  ];
  if (report.dropped.length > 0) lines.push(`dropped old indices: ${report.dropped.join(', ')}`);
  if (report.ahead.length > 0) {
    lines.push(
      `${report.ahead.length} document(s) newer than their rows (run listings reindex): ${report.ahead.slice(0, 20).join(', ')}`,
    );
  }
  for (const failure of report.failures.slice(0, 10)) lines.push(`  failed listing ${failure.id}: ${failure.reason}`);
  return lines.join('\n');
}

function phaseTimes(report: RebuildReport): string {
  return Object.entries(report.phasesMs)
    .map(([phase, ms]) => `${phase} ${((ms ?? 0) / 1000).toFixed(1)} s`)
    .join(', ');
}
