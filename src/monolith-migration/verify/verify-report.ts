import type { BookedRows } from '../../../ports/monolith-verification.ts';
import type { Difference } from './differences.ts';
import type { IdSetResult, SourceCounts, SumsResult } from './independent-layers.ts';
import { formatCents } from './independent-layers.ts';
import type { StatusCell } from './status-matrix.ts';

/** One source table in the verify report (§4.8 `tables`). The run's own figures come from its stored report. */
export interface VerifiedTableCounts {
  readonly source: number;
  readonly migrated: number;
  readonly rejected: number;
  readonly repaired: number;
  readonly inserted: number | null;
  readonly updated: number | null;
  readonly unchanged: number | null;
  readonly deleted: number | null;
  /** Rows the mapping maps / rejects over today's source (differs from migrated/rejected after source changes). */
  readonly mapped_now: number;
  readonly rejected_now: number;
}

/** The `--json` document of `listings migrate-from-monolith verify` (shape of monolith.md §4.8, plus the details). */
export interface VerifyReport {
  readonly run_id: string;
  readonly ok: boolean;
  readonly source: string;
  readonly target: string;
  readonly source_shape: unknown;
  readonly zones: { readonly source_zone: string; readonly source_server_zone: string };
  readonly tables: Record<string, VerifiedTableCounts>;
  readonly target_tables: Record<string, BookedRows>;
  readonly status_matrix: readonly StatusCell[];
  readonly rejects_by_code: unknown;
  readonly repairs_by_code: unknown;
  readonly sums: {
    readonly listings: number;
    readonly source: Record<string, string | number>;
    readonly target: Record<string, string | number>;
  };
  readonly id_sets: Record<string, IdSetResult>;
  readonly checksums: Record<string, { readonly buckets: number; readonly mismatched: number }>;
  readonly sample: {
    readonly size: number;
    readonly seed: number;
    readonly compared: number;
    readonly differences: readonly Difference[];
  };
  readonly sequences: Record<string, { expected_at_least: number; actual: number }>;
  readonly differences_total: number;
  readonly differences_by_layer: Record<string, number>;
  /** Every layer's differences, the first 50 per layer and table. */
  readonly differences: readonly Difference[];
  readonly warnings: readonly string[];
  readonly duration_s: number;
  readonly rows_per_s: number;
}

export function sumsJson(sums: SumsResult): VerifyReport['sums'] {
  const side = (s: SumsResult['source']) => ({
    price: formatCents(s.price),
    view_count: s.viewCount,
    images: s.images,
    favorites: s.favorites,
  });
  return { listings: sums.listings, source: side(sums.source), target: side(sums.target) };
}

export function sourceCountsJson(
  counts: SourceCounts,
  tally: { migrated: number; rejected: number; repaired: number },
  run: Record<string, unknown> | undefined,
): VerifiedTableCounts {
  const fromRun = (key: string) => (typeof run?.[key] === 'number' ? (run[key] as number) : null);
  return {
    source: counts.source,
    migrated: counts.migrated,
    rejected: counts.rejected,
    repaired: tally.repaired,
    inserted: fromRun('inserted'),
    updated: fromRun('updated'),
    unchanged: fromRun('unchanged'),
    deleted: fromRun('deleted'),
    mapped_now: tally.migrated,
    rejected_now: tally.rejected,
  };
}
