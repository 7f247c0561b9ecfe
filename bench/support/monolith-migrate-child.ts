import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PeakRssProbe } from './peak-rss.ts';

/** When the CLI's JSON progress lines for one source table started and ended (ms, this process's clock). */
export interface TablePhase {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly done: number;
}

export interface ChildMigration {
  /** The command's `--json` report. */
  readonly report: {
    readonly tables: Record<string, { read: number; migrated: number; rejected: number }>;
    readonly target_tables: Record<string, { inserted: number; updated: number; unchanged: number }>;
    readonly reconciled: boolean;
    readonly duration_s: number;
  };
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly phases: ReadonlyMap<string, TablePhase>;
  readonly exitCode: number;
}

interface ProgressLine {
  readonly event?: string;
  readonly table?: string;
  readonly done?: number;
}

/** The tables a failed run's report (printed before exit 1) says do not reconcile. */
function unreconciled(stdout: string): string {
  try {
    const report = JSON.parse(stdout) as { tables: Record<string, { reconciled?: boolean | null }> };
    const tables = Object.entries(report.tables).filter(([, t]) => t.reconciled === false);
    return tables.length === 0 ? '' : `; not reconciled: ${JSON.stringify(Object.fromEntries(tables))}`;
  } catch {
    return '';
  }
}

const CLI = resolve(import.meta.dirname, '../../adapters/cli/main.ts');

/**
 * Runs `listings migrate-from-monolith` as operators do (the CLI entry point, a process of its own), with
 * `--no-enqueue` as §4.10 recommends for the bulk load, and measures it from outside: wall time, peak RSS of the
 * process (VmHWM), and per-table phases from its non-TTY JSON progress lines (one is printed when a table's scan
 * starts and one when it ends, so their arrival times bound the table's work).
 */
export async function runMigrationChild(source: string, target: string, sourceZone: string): Promise<ChildMigration> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      CLI,
      'migrate-from-monolith',
      '--source',
      source,
      '--target',
      target,
      '--source-zone',
      sourceZone,
      '--no-enqueue',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid === undefined) throw new Error('could not start the migrate-from-monolith child');
  const probe = new PeakRssProbe(child.pid);
  const phases = new Map<string, { firstMs: number; lastMs: number; done: number }>();
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    const at = performance.now();
    let event: ProgressLine;
    try {
      event = JSON.parse(line) as ProgressLine;
    } catch {
      errors.push(line);
      return;
    }
    if (event.event !== 'progress' || event.table === undefined) return;
    const phase = phases.get(event.table);
    if (phase === undefined) phases.set(event.table, { firstMs: at, lastMs: at, done: event.done ?? 0 });
    else {
      phase.lastMs = at;
      phase.done = event.done ?? phase.done;
    }
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const exitCode = await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code ?? 1));
  });
  const wallMs = performance.now() - started;
  const peakRssMiB = probe.stop();
  if (exitCode !== 0) {
    throw new Error(`migrate-from-monolith exited ${exitCode}: ${errors.slice(-5).join(' | ')}${unreconciled(stdout)}`);
  }
  return { report: JSON.parse(stdout) as ChildMigration['report'], wallMs, peakRssMiB, phases, exitCode };
}
