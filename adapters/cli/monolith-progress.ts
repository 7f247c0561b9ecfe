import cliProgress from 'cli-progress';
import type { MigrationProgress } from '../../src/monolith-migration/run-migration.ts';

/** JSON progress lines for a non-terminal stderr: at most one per table per this many milliseconds. */
const LINE_INTERVAL_MS = 2_000;

export interface ProgressReporter {
  update(progress: MigrationProgress): void;
  stop(): void;
}

/**
 * Progress of migrate-from-monolith on stderr (§4.7): one cli-progress bar per table with rows/s and ETA on a
 * terminal; otherwise a JSON line every few seconds and at the end of each table,
 * `{"event":"progress","table":…,"done":…,"total":…,"rate":…,"eta_s":…}`.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressReporter {
  const started = new Map<string, number>();
  const rate = (progress: MigrationProgress) => {
    const since = started.get(progress.table) ?? now();
    const seconds = (now() - since) / 1000;
    return seconds > 0 ? Math.round(progress.done / seconds) : 0;
  };
  const track = (progress: MigrationProgress) => {
    if (progress.phase === 'scan' && !started.has(progress.table)) started.set(progress.table, now());
  };

  if (stream.isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        stream,
        format: ' {table} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    const byTable = new Map<string, cliProgress.SingleBar>();
    return {
      update(progress) {
        track(progress);
        if (progress.phase === 'deletes') return;
        let bar = byTable.get(progress.table);
        const payload = { table: progress.table.padEnd(26), rate: rate(progress) };
        if (!bar) {
          bar = bars.create(Math.max(progress.total, 1), progress.done, payload);
          byTable.set(progress.table, bar);
        }
        bar.setTotal(Math.max(progress.total, progress.done, 1));
        bar.update(progress.done, payload);
      },
      stop: () => bars.stop(),
    };
  }

  const lastLine = new Map<string, number>();
  return {
    update(progress) {
      track(progress);
      if (progress.phase === 'deletes') return;
      const at = now();
      const previous = lastLine.get(progress.table);
      if (progress.phase === 'scan' && previous !== undefined && at - previous < LINE_INTERVAL_MS) return;
      lastLine.set(progress.table, at);
      const perSecond = rate(progress);
      const left = Math.max(progress.total - progress.done, 0);
      stream.write(
        `${JSON.stringify({
          event: 'progress',
          table: progress.table,
          done: progress.done,
          total: progress.total,
          rate: perSecond,
          eta_s: perSecond > 0 ? Math.round(left / perSecond) : null,
        })}\n`,
      );
    },
    stop() {},
  };
}
