import type { SourceShape } from '../../ports/monolith-source.ts';
import type { Checkpoint, RunMode } from '../../ports/monolith-target.ts';
import type { SourceTable } from './mapping/index.ts';
import type { RunTally, TableTally } from './run-tally.ts';

/** The final report of a run (§4.6, §4.7): printed on stdout and stored in `runs.counts`. snake_case like §4.8. */
export interface MigrationReport {
  readonly run_id: string;
  readonly mode: RunMode;
  readonly dry_run: boolean;
  readonly source: string;
  readonly target: string;
  readonly source_shape: SourceShape;
  readonly zones: { readonly source_zone: string; readonly source_server_zone: string };
  readonly since: string | null;
  readonly resumed_from: { readonly run_id: string; readonly checkpoints: Record<string, string | null> } | null;
  readonly tables: Record<string, Omit<TableTally, 'bookkept'>>;
  readonly target_tables: RunTally['targetTables'];
  readonly status_matrix: readonly { source_table: string; raw: string; target: string; rows: number }[];
  readonly rejects_by_code: RunTally['rejectsByCode'];
  readonly repairs_by_code: RunTally['repairsByCode'];
  readonly notices_by_code: RunTally['noticesByCode'];
  readonly sequences: Readonly<Record<string, number>>;
  readonly outbox: { readonly enqueued: number; readonly mode: 'enqueued' | 'skipped (--no-enqueue)' | 'dry run' };
  readonly reconciled: boolean;
  readonly rejected_total: number;
  readonly warnings: readonly string[];
  readonly duration_s: number;
  readonly rows_per_s: number;
}

export interface ReportFacts {
  readonly runId: string;
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly enqueue: boolean;
  readonly source: string;
  readonly target: string;
  readonly shape: SourceShape;
  readonly sourceZone: string;
  readonly serverZone: string;
  readonly since: string | null;
  readonly resumed: readonly Checkpoint[];
  readonly sequences: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

export function buildReport(tally: RunTally, facts: ReportFacts): MigrationReport {
  const tables: Record<string, Omit<TableTally, 'bookkept'>> = {};
  let read = 0;
  let rejected = 0;
  for (const [name, { bookkept: _bookkept, ...counts }] of tally.tables) {
    tables[name] = counts;
    read += counts.read;
    rejected += counts.rejected;
  }
  const matrix = [...tally.statusMatrix].map(([key, rows]) => {
    const [source_table = '', raw = '', target = ''] = key.split('\u001f');
    return { source_table, raw, target, rows };
  });
  matrix.sort((a, b) => a.source_table.localeCompare(b.source_table) || a.raw.localeCompare(b.raw));
  const first = facts.resumed[0];
  const seconds = facts.durationMs / 1000;
  return {
    run_id: facts.runId,
    mode: facts.mode,
    dry_run: facts.dryRun,
    source: facts.source,
    target: facts.target,
    source_shape: facts.shape,
    zones: { source_zone: facts.sourceZone, source_server_zone: facts.serverZone },
    since: facts.since,
    resumed_from:
      first === undefined
        ? null
        : {
            run_id: first.runId,
            checkpoints: Object.fromEntries(facts.resumed.map((c) => [c.sourceTable, c.lastKey])),
          },
    tables,
    target_tables: tally.targetTables,
    status_matrix: matrix,
    rejects_by_code: tally.rejectsByCode,
    repairs_by_code: tally.repairsByCode,
    notices_by_code: tally.noticesByCode,
    sequences: facts.sequences,
    outbox: {
      enqueued: tally.enqueued,
      mode: facts.dryRun ? 'dry run' : facts.enqueue ? 'enqueued' : 'skipped (--no-enqueue)',
    },
    reconciled: [...tally.tables.values()].every((table) => table.reconciled !== false),
    rejected_total: rejected,
    warnings: facts.warnings,
    duration_s: Math.round(seconds * 1000) / 1000,
    rows_per_s: seconds > 0 ? Math.round(read / seconds) : read,
  };
}

/** Source tables in report order. */
export type ReportTables = readonly SourceTable[];
