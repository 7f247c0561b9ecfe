import type { MonolithVerificationTarget } from '../../../ports/monolith-verification.ts';
import type { SourceB2cProductRow, SourceC2cListingRow } from '../mapping/index.ts';
import type { RowOutcome } from '../step.ts';
import type { DifferenceLog } from './differences.ts';
import { expectedB2cStatus, expectedC2cStatus, FORCING_REPAIRS, rawB2cStatus, rawC2cStatus } from './status-rules.ts';

export interface StatusCell {
  readonly source_table: string;
  readonly raw: string;
  readonly status: string;
  /** Source rows with this raw value that §3.6 sends to `status`. */
  readonly source: number;
  /** Target listings of those source rows that have `status`. */
  readonly target: number;
}

/**
 * The status matrix of §4.8: raw source status × target status, counted on both sides over the listings the
 * source maps (rejected rows have no target status). The expected status comes from status-rules.ts, not from the
 * mapping; every listing whose target status differs is a difference naming it.
 */
export class StatusMatrix {
  /** `table \u001f raw \u001f status` → [source, target]. */
  readonly #cells = new Map<string, [number, number]>();

  #bump(table: string, raw: string, status: string, side: 0 | 1): void {
    const key = `${table}\u001f${raw}\u001f${status}`;
    const cell = this.#cells.get(key) ?? [0, 0];
    cell[side]++;
    this.#cells.set(key, cell);
  }

  async add(
    table: 'c2c_listings' | 'b2c_products',
    outcomes: readonly RowOutcome[],
    target: MonolithVerificationTarget,
    log: DifferenceLog,
  ): Promise<void> {
    const mapped = outcomes.filter((o) => o.result.kind === 'mapped');
    const actual = await target.listingStatuses(mapped.map((o) => Number(o.result.sourceKey)));
    for (const { result, sourceRow } of mapped) {
      if (result.kind !== 'mapped') continue;
      const forced = result.repairs.some((repair) => FORCING_REPAIRS.has(repair.code));
      let raw: string;
      let expected: string;
      if (table === 'c2c_listings') {
        raw = rawC2cStatus((sourceRow as SourceC2cListingRow).status);
        expected = expectedC2cStatus(raw, forced);
      } else {
        const isActive = (sourceRow as SourceB2cProductRow).is_active;
        raw = rawB2cStatus(isActive);
        expected = expectedB2cStatus(isActive, forced);
      }
      const id = Number(result.sourceKey);
      const status = actual.get(id) ?? '(missing)';
      this.#bump(table, raw, expected, 0);
      this.#bump(table, raw, status, 1);
      if (status !== expected) {
        log.add({
          layer: 'status_matrix',
          table: 'listings',
          id: String(id),
          field: 'status',
          expected,
          actual: status,
        });
      }
    }
  }

  cells(): StatusCell[] {
    return [...this.#cells]
      .map(([key, [source, target]]) => {
        const [source_table = '', raw = '', status = ''] = key.split('\u001f');
        return { source_table, raw, status, source, target };
      })
      .sort(
        (a, b) =>
          a.source_table.localeCompare(b.source_table) ||
          a.raw.localeCompare(b.raw) ||
          a.status.localeCompare(b.status),
      );
  }
}
